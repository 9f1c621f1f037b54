"""PyTorch probe for the colour-photo recipe (issue 22): the trainer's autoencoder family on the
CIFAR-10 sample, to find what helps before the DL4J trainer runs it. Same split rule as the trainer
(20% held out with a fixed seed, 10% of the rest for early stopping), same metrics (k-means NMI/RI
over 5 seeds, P@10 leaving the query out).

  /usr/bin/python3 bench/probes/cifar10_recipe.py --data ../shared/data/cifar10-sample \
      --widths 32,64,128 --augment --dropout 0.3 --weight-decay 0.05 --epochs 40
"""
import argparse
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score, rand_score


def load(path):
    raw = np.fromfile(path, dtype=np.uint8).reshape(-1, 3073)
    return raw[:, 1:].reshape(-1, 3, 32, 32).astype(np.float32) / 255.0, raw[:, 0].astype(np.int64)


class Autoencoder(nn.Module):
    def __init__(self, a, classes):
        super().__init__()
        widths = [int(w) for w in a.widths.split(",")]
        layers, c, size = [], 3, 32
        for w in widths:
            for _ in range(a.convs):
                layers += [nn.Conv2d(c, w, 3, padding=1), nn.BatchNorm2d(w), nn.ReLU()]
                c = w
            layers.append(nn.MaxPool2d(2))
            size //= 2
        if a.global_pool:
            layers.append(nn.AdaptiveAvgPool2d(1))
            flat = c
        else:
            flat = c * size * size
        self.features = nn.Sequential(*layers, nn.Flatten())
        self.drop = nn.Dropout(a.dropout)
        self.bottleneck = nn.Linear(flat, a.embedding_dim)
        self.normalize = a.normalize
        self.head_on_features = a.rotation and a.rotation_on == "features"
        head_in = flat if self.head_on_features else a.embedding_dim
        self.head = nn.Linear(head_in, classes) if classes else None
        self.widths, self.size = widths, size
        self.dec_dense = nn.Linear(a.embedding_dim, widths[-1] * size * size)
        dec = []
        for b in range(len(widths) - 1, -1, -1):
            out = 3 if b == 0 else widths[b - 1]
            dec += [nn.Upsample(scale_factor=2), nn.Conv2d(widths[b], out, 3, padding=1)]
            if b:
                dec.append(nn.ReLU())
        self.decoder = nn.Sequential(*dec)

    def embed(self, x):
        e = self.bottleneck(self.drop(self.features(x)))
        return F.normalize(e, dim=1) if self.normalize else e

    def forward(self, x):
        f = self.drop(self.features(x))
        e = self.bottleneck(f)
        e = F.normalize(e, dim=1) if self.normalize else e
        h = F.relu(self.dec_dense(e)).view(-1, self.widths[-1], self.size, self.size)
        if self.head is None:
            logits = None
        elif self.head_on_features:
            logits = self.head(f)
        else:
            logits = self.head(e * (16 if self.normalize else 1))
        return e, self.decoder(h), logits


def augment(x, g, jitter):
    n = x.shape[0]
    flip = torch.rand(n, generator=g) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(3), x)
    pad = F.pad(x, (2, 2, 2, 2), mode="replicate")
    dy = torch.randint(0, 5, (n,), generator=g)
    dx = torch.randint(0, 5, (n,), generator=g)
    out = torch.stack([pad[i, :, dy[i]:dy[i] + 32, dx[i]:dx[i] + 32] for i in range(n)])
    if jitter:
        b = (torch.rand(n, 1, 1, 1, generator=g) - 0.5) * 2 * jitter
        c = 1 + (torch.rand(n, 1, 1, 1, generator=g) - 0.5) * 2 * jitter
        out = (out - out.mean((1, 2, 3), keepdim=True)) * c + out.mean((1, 2, 3), keepdim=True) + b
    return out


def java_permutation(n, seed):
    """core's Shuffle.permutation(n, new java.util.Random(seed)): the trainer's split, exactly."""
    mask = (1 << 48) - 1
    state = (seed ^ 0x5DEECE66D) & mask

    def next_bits(bits):
        nonlocal state
        state = (state * 0x5DEECE66D + 0xB) & mask
        return state >> (48 - bits)

    def next_int(bound):
        if bound & (bound - 1) == 0:
            return (bound * next_bits(31)) >> 31
        while True:
            bits = next_bits(31)
            val = bits % bound
            if bits - val + (bound - 1) < (1 << 31):
                return val

    p = list(range(n))
    for i in range(n - 1, 0, -1):
        j = next_int(i + 1)
        p[i], p[j] = p[j], p[i]
    return np.array(p)


def split(n, a):
    """Held-out, validation and training indices: the probe's own or the DL4J trainer's."""
    if a.split == "trainer":
        order = java_permutation(n, 42)
        held = max(1, n // 5)
        test, rest = order[:held], order[held:]
        inner = java_permutation(len(rest), a.seed)
        v = max(1, int(np.floor(len(rest) * 0.1 + 0.5)))
        return test, rest[inner[:v]], rest[inner[v:]]
    order = np.random.RandomState(a.seed).permutation(n)
    test, rest = order[: n // 5], order[n // 5:]
    return test, rest[: len(rest) // 10], rest[len(rest) // 10:]


def precision_at_10(e, y):
    d = ((e[:, None, :] - e[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    nn10 = np.argsort(d, axis=1)[:, :10]
    return (y[nn10] == y[:, None]).mean()


def evaluate(e, y):
    nmi, ri = [], []
    for s in range(5):
        p = KMeans(10, n_init=1, random_state=s).fit_predict(e)
        nmi.append(normalized_mutual_info_score(y, p))
        ri.append(rand_score(y, p))
    return np.mean(nmi), np.mean(ri), precision_at_10(e, y)


def nt_xent(e1, e2, temperature):
    """SimCLR's contrastive loss: each view's partner is its positive, the other 2n - 2 negatives."""
    z = F.normalize(torch.cat([e1, e2]), dim=1)
    sim = z @ z.t() / temperature
    sim.fill_diagonal_(float("-inf"))
    n = len(e1)
    partner = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
    return F.cross_entropy(sim, partner)


def soft_assign(e, centres):
    """DEC's Student-t similarity of each embedding to each cluster centre, rows summing to 1."""
    q = 1.0 / (1.0 + ((e[:, None, :] - centres[None, :, :]) ** 2).sum(-1))
    return q / q.sum(1, keepdim=True)


def dec(model, a, x, train, g, rotation_loss, test, y):
    """Improved DEC: cluster centres from k-means, then the training loss plus a.dec_weight times
    KL(P || Q), the target P (Q squared over cluster frequency) recomputed every epoch."""
    tr = torch.tensor(train)
    model.eval()
    with torch.no_grad():
        e = model.embed(x[tr])
    km = KMeans(a.dec_clusters, n_init=4, random_state=a.seed).fit(e.numpy())
    centres = nn.Parameter(torch.tensor(km.cluster_centers_, dtype=torch.float32))
    opt = torch.optim.AdamW(list(model.parameters()) + [centres], lr=a.lr * 0.1, weight_decay=0)
    seen = 0
    for epoch in range(a.dec_epochs):
        model.eval()
        with torch.no_grad():
            q = soft_assign(model.embed(x[tr]), centres)
            target = q ** 2 / q.sum(0)
            target = target / target.sum(1, keepdim=True)
            et = model.embed(x[torch.tensor(test)]).numpy()
        nmi, _, _ = evaluate(et, y[test])
        print(f"dec epoch {epoch}: held-out NMI {nmi:.4f}", flush=True)
        model.train()
        perm = torch.randperm(len(train), generator=g)
        for i in range(0, len(train), a.batch_size):
            sel = perm[i:i + a.batch_size]
            idx = tr[sel]
            xb = augment(x[idx], g, a.jitter) if a.augment else x[idx]
            if a.rotation:
                loss, eb = rotation_loss(xb, torch.randint(0, 4, (len(xb),), generator=g), True)
            else:
                eb, r, _ = model(xb)
                loss = F.mse_loss(r, xb)
            qb = soft_assign(model.embed(x[idx]) if a.dec_input == "plain" else eb, centres)
            kl = (target[sel] * (target[sel].log() - qb.log())).sum(1).mean()
            loss = loss + a.dec_weight * kl
            opt.zero_grad()
            loss.backward()
            opt.step()
            seen += len(idx)
    return seen


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="../shared/data/cifar10-sample")
    p.add_argument("--widths", default="32,64")
    p.add_argument("--convs", type=int, default=1)
    p.add_argument("--global-pool", action="store_true")
    p.add_argument("--embedding-dim", type=int, default=64)
    p.add_argument("--normalize", action="store_true")
    p.add_argument("--vanilla", action="store_true")
    p.add_argument("--class-weight", type=float, default=1.0)
    p.add_argument("--dropout", type=float, default=0.0)
    p.add_argument("--weight-decay", type=float, default=0.0)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--lr-decay", type=float, default=1.0)
    p.add_argument("--augment", action="store_true")
    p.add_argument("--jitter", type=float, default=0.0)
    p.add_argument("--per-image", action="store_true")
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--patience", type=int, default=8)
    p.add_argument("--batch-size", type=int, default=128)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--consistency", type=float, default=0.0,
                   help="weight of the squared distance between the embeddings of two augmented views")
    p.add_argument("--rotation", type=float, default=0.0,
                   help="vanilla only: weight of a head that tells which of 4 quarter turns each image got")
    p.add_argument("--rotation-on", choices=["embedding", "features"], default="embedding",
                   help="what the quarter-turn head reads: the embedding or the conv features")
    p.add_argument("--grey", type=float, default=0.0,
                   help="share of training inputs made grey (channel mean); the target keeps colour")
    p.add_argument("--mask", type=float, default=0.0,
                   help="share of 8x8 patches zeroed in the input; the target stays whole")
    p.add_argument("--contrastive", type=float, default=0.0,
                   help="weight of NT-Xent between two augmented views' embeddings (SimCLR's loss,"
                        " the other images of the batch as negatives), beside the training loss")
    p.add_argument("--temperature", type=float, default=0.5)
    p.add_argument("--dec-epochs", type=int, default=0,
                   help="vanilla only: epochs of DEC after training, the clusters from k-means of the"
                        " training embeddings, KL(P || Q) beside the training loss (IDEC)")
    p.add_argument("--dec-weight", type=float, default=0.1, help="weight of the DEC term")
    p.add_argument("--dec-clusters", type=int, default=10)
    p.add_argument("--dec-input", choices=["plain", "batch"], default="plain",
                   help="Q of the plain images (a second pass) or of the batch as trained (augmented,"
                        " turned; one pass, as a DL4J graph output would see it)")
    p.add_argument("--save-state", help="write the trained model's weights here (before DEC)")
    p.add_argument("--load-state", help="start from these weights and skip training (--epochs 0)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--split", choices=["probe", "trainer"], default="probe",
                   help="the probe's NumPy split, or the DL4J trainer's (java.util.Random, seed 42)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y = load(a.data + "/data_batch_1.bin")
    if a.per_image:
        x = x / np.sqrt((x ** 2).mean((1, 2, 3), keepdims=True) + 1e-6) * 0.5
    test, val, train = split(len(y), a)
    mean = x[train].mean((0, 2, 3), keepdims=True)
    std = x[train].std((0, 2, 3), keepdims=True)
    x = torch.tensor((x - mean) / std)
    yt = torch.tensor(y)
    model = Autoencoder(a, (4 if a.rotation else 0) if a.vanilla else 10)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, a.lr_decay)
    g = torch.Generator().manual_seed(a.seed)

    def loss_of(xb, yb, target):
        if a.rotation:
            return rotation_loss(xb, torch.arange(len(xb)) % 4)
        _, r, logits = model(xb)
        loss = F.mse_loss(r, target)
        if logits is not None:
            loss = loss + a.class_weight * F.cross_entropy(logits, yb)
        return loss

    def rotation_loss(xb, turns, with_embedding=False):
        xr = torch.stack([torch.rot90(im, int(k), (1, 2)) for im, k in zip(xb, turns)])
        e, r, logits = model(masked(xr) if model.training else xr)
        loss = F.mse_loss(r, xr) + a.rotation * F.cross_entropy(logits, turns)
        return (loss, e) if with_embedding else loss

    def masked(xb):
        if a.grey:
            g_ = (torch.rand(len(xb), 1, 1, 1, generator=g) < a.grey).float()
            xb = g_ * xb.mean(1, keepdim=True).expand_as(xb) + (1 - g_) * xb
        if not a.mask:
            return xb
        keep = (torch.rand(len(xb), 1, 4, 4, generator=g) >= a.mask).float()
        return xb * F.interpolate(keep, scale_factor=8, mode="nearest")

    best, best_state, best_epoch, start, seen = float("inf"), None, 0, time.time(), 0
    for epoch in range(a.epochs):
        model.train()
        perm = torch.randperm(len(train), generator=g)
        total = 0.0
        for i in range(0, len(train), a.batch_size):
            idx = torch.tensor(train)[perm[i:i + a.batch_size]]
            xb = augment(x[idx], g, a.jitter) if a.augment else x[idx]
            if a.consistency:
                xb2 = augment(x[idx], g, a.jitter)
                e1, r1, _ = model(xb)
                e2, r2, _ = model(xb2)
                loss = (F.mse_loss(r1, xb) + F.mse_loss(r2, xb2)) / 2 \
                    + a.consistency * ((e1 - e2) ** 2).sum(1).mean()
            elif a.contrastive:
                xb2 = augment(x[idx], g, a.jitter)
                if a.rotation:
                    turns = torch.randint(0, 4, (len(xb),), generator=g)  # the same for both views
                    l1, e1 = rotation_loss(xb, turns, True)
                    l2, e2 = rotation_loss(xb2, turns, True)
                else:
                    e1, r1, _ = model(xb)
                    e2, r2, _ = model(xb2)
                    l1, l2 = F.mse_loss(r1, xb), F.mse_loss(r2, xb2)
                loss = (l1 + l2) / 2 + a.contrastive * nt_xent(e1, e2, a.temperature)
            elif a.rotation:
                loss = rotation_loss(xb, torch.randint(0, 4, (len(xb),), generator=g))
            elif a.mask or a.grey:
                _, r, _ = model(masked(xb))
                loss = F.mse_loss(r, xb)
            else:
                loss = loss_of(xb, yt[idx], xb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            seen += len(idx)
        sched.step()
        model.eval()
        with torch.no_grad():
            v = torch.tensor(val)
            vl = loss_of(x[v], yt[v], x[v]).item()
        print(f"epoch {epoch + 1}: train {total / len(train):.4f} val {vl:.4f}", flush=True)
        if vl < best:
            best, best_epoch = vl, epoch + 1
            best_state = {k: t.clone() for k, t in model.state_dict().items()}
        elif epoch + 1 - best_epoch >= a.patience:
            break
    if best_state is not None:
        model.load_state_dict(best_state)
    if a.save_state:
        torch.save(model.state_dict(), a.save_state)
    if a.load_state:
        model.load_state_dict(torch.load(a.load_state))
    if a.dec_epochs:
        seen += dec(model, a, x, train, g, rotation_loss, test, y)
    seconds = time.time() - start
    model.eval()
    with torch.no_grad():
        e = model.embed(x[torch.tensor(test)]).numpy()
        raw = x[torch.tensor(test)].reshape(len(test), -1).numpy()
    nmi, ri, p10 = evaluate(e, y[test])
    print(f"RESULT {vars(a)} best_epoch {best_epoch} {seen / seconds:.0f} img/s {seconds:.0f} s "
          f"NMI {nmi:.4f} RI {ri:.4f} P@10 {p10:.4f}")
    if a.seed == 42 and a.epochs == 0:
        print("raw", evaluate(raw, y[test]))


if __name__ == "__main__":
    main()
