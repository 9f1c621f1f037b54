"""Trains a small CNN on Fashion-MNIST and exports its feature extractor as a test backbone.

Run with Debian's python3-torch: python3 train_backbone.py OUT_DIR IMAGES EPOCHS SEED

Reads the first IMAGES training images of Debian's dataset-fashion-mnist, shows them to the network
as 3x32x32 colour images (grey copied to three channels, resized 28 -> 32 as the Java side resizes
any image to a model's input), trains conv 16-32 + linear 64 + a 10-way classifier with the labels
for EPOCHS epochs (Adam, seeded), and writes the 64-d features before the classifier as
backbone.pt (TorchScript) and backbone.onnx. Pixels are scaled to [0, 1], no mean or std.
"""
import gzip
import sys

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"


def idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


class Features(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Linear(32 * 8 * 8, 64)

    def forward(self, x):
        return self.fc(torch.flatten(self.conv(x), 1))


def main():
    out, images, epochs, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.manual_seed(seed)
    x = idx(f"{DATA}/train-images-idx3-ubyte.gz", 16)[: images * 784].reshape(images, 1, 28, 28)
    y = idx(f"{DATA}/train-labels-idx1-ubyte.gz", 8)[:images]
    x = torch.tensor(x, dtype=torch.float32) / 255.0
    x = nn.functional.interpolate(x, size=(32, 32), mode="bilinear", align_corners=False)
    x = x.repeat(1, 3, 1, 1)
    y = torch.tensor(y, dtype=torch.long)
    features = Features()
    classifier = nn.Sequential(nn.ReLU(), nn.Linear(64, 10))
    params = list(features.parameters()) + list(classifier.parameters())
    optimizer = torch.optim.Adam(params, lr=2e-3)
    generator = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        order = torch.randperm(images, generator=generator)
        total = 0.0
        for i in range(0, images, 64):
            batch = order[i:i + 64]
            loss = nn.functional.cross_entropy(classifier(features(x[batch])), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        print(f"epoch {epoch + 1}: loss {total / images:.4f}")
    features.eval()
    with torch.no_grad():
        traced = torch.jit.trace(features, x[:1])
        traced.save(f"{out}/backbone.pt")
        torch.onnx.export(features, x[:1], f"{out}/backbone.onnx", input_names=["input"],
                          output_names=["features"], opset_version=13,
                          dynamic_axes={"input": {0: "batch"}, "features": {0: "batch"}})


if __name__ == "__main__":
    main()
