"""Makes the test encoders: small ResNet-shaped CNNs traced to TorchScript and exported to ONNX.

Run with Debian's python3-torch: python3 make_test_encoders.py OUT_DIR [--resnet18]

For each model NAME it writes NAME.pt (TorchScript), NAME.onnx and NAME.expected.npz, which holds
`input` (fixed seeded inputs, N x C x H x W) and `output` (PyTorch's embeddings of them), so the
Java side can check that DJL gives the same numbers. It also writes broken models for the error
paths: featuremap.pt/.onnx (one feature map per image, not a vector) and nonfinite.pt/.onnx (NaN),
and meanpool.pt/.onnx (each channel's mean: a valid encoder that clusters badly).
With --resnet18 it writes only resnet18-64 and resnet18-224: ResNet-18's widths and depths, random
weights, for the benchmarks.
"""
import sys

import numpy as np
import torch
from torch import nn


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(self.bn2(self.conv2(y)) + self.shortcut(x))


class ResNetEncoder(nn.Module):
    """ResNet layout: stem, four stages of basic blocks, global average pool, optional linear."""

    def __init__(self, size, widths, depths, embedding):
        super().__init__()
        if size >= 128:  # ImageNet stem: 7x7 stride 2, then max pool
            stem = [nn.Conv2d(3, widths[0], 7, 2, 3, bias=False), nn.BatchNorm2d(widths[0]),
                    nn.ReLU(), nn.MaxPool2d(3, 2, 1)]
        else:  # small-image stem
            stem = [nn.Conv2d(3, widths[0], 3, 1, 1, bias=False), nn.BatchNorm2d(widths[0]),
                    nn.ReLU()]
        self.stem = nn.Sequential(*stem)
        stages, cin = [], widths[0]
        for i, (w, d) in enumerate(zip(widths, depths)):
            for j in range(d):
                stages.append(BasicBlock(cin, w, 2 if i > 0 and j == 0 else 1))
                cin = w
        self.stages = nn.Sequential(*stages)
        self.fc = nn.Linear(cin, embedding) if embedding else nn.Identity()

    def forward(self, x):
        x = self.stages(self.stem(x))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class FeatureMap(nn.Module):
    def forward(self, x):
        return x[:, :, ::2, ::2] * 2.0


class MeanPool(nn.Module):
    """Each channel's mean brightness: a valid encoder that knows almost nothing."""

    def forward(self, x):
        return torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)


class NonFinite(nn.Module):
    def forward(self, x):
        return torch.log(-torch.abs(torch.flatten(x, 1)) - 1.0)


def randomize_batch_norm(model, generator):
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.running_mean.copy_(torch.randn(m.num_features, generator=generator) * 0.1)
            m.running_var.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
            m.weight.data.copy_(torch.rand(m.num_features, generator=generator) + 0.5)
            m.bias.data.copy_(torch.randn(m.num_features, generator=generator) * 0.1)


def export(model, name, size, out, batch=4):
    model.eval()
    generator = torch.Generator().manual_seed(7)
    x = torch.randn(batch, 3, size, size, generator=generator)
    with torch.no_grad():
        traced = torch.jit.trace(model, x[:1])
        traced.save(f"{out}/{name}.pt")
        torch.onnx.export(model, x[:1], f"{out}/{name}.onnx", input_names=["input"],
                          output_names=["embedding"], opset_version=13,
                          dynamic_axes={"input": {0: "batch"}, "embedding": {0: "batch"}})
        y = model(x)
    np.savez(f"{out}/{name}.expected.npz", input=x.numpy(), output=y.numpy())


def main():
    out = sys.argv[1]
    torch.manual_seed(2026)
    generator = torch.Generator().manual_seed(2026)
    if "--resnet18" in sys.argv:
        for size in (64, 224):
            model = ResNetEncoder(size, (64, 128, 256, 512), (2, 2, 2, 2), 0)
            randomize_batch_norm(model, generator)
            export(model, f"resnet18-{size}", size, out, batch=2)
        return
    for size in (64, 224):
        model = ResNetEncoder(size, (8, 16, 32, 64), (1, 1, 1, 1), 32)
        randomize_batch_norm(model, generator)
        export(model, f"resnet-{size}", size, out)
    export(MeanPool(), "meanpool", 32, out, batch=1)
    export(FeatureMap(), "featuremap", 64, out, batch=1)
    export(NonFinite(), "nonfinite", 64, out, batch=1)


if __name__ == "__main__":
    main()
