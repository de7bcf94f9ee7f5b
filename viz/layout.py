"""Node positions computed in Python, so pages draw at once with physics off.

Each connected component is laid out on its own and the components are then packed in rows,
largest first, so lone nodes end up in a tidy block beside the main network.

* Components of up to `KAMADA_KAWAI_MAX` nodes: NetworkX's Kamada–Kawai.
* Larger ones (cooperation graphs are mostly stars: many cooperants with one partner entity):
  the leaves (degree 1) are set aside, the rest — the core — gets a seeded Fruchterman–Reingold
  in which a hub repels in proportion to the leaves it carries, and the leaves are then placed
  around their hub on a sunflower spiral. Repulsion is exact within `NEAR` and comes from the
  centres of mass of a coarse grid beyond it, so an iteration costs O(n · cells) instead of the
  O(n²) of `networkx.spring_layout` (2,000 nodes: about a second instead of ten).

The same graph and seed always give the same picture.
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

__all__ = ["positions", "SPACING", "KAMADA_KAWAI_MAX"]

SPACING = 100.0         # screen pixels per layout unit (the ideal link length)
KAMADA_KAWAI_MAX = 150  # components up to this many nodes get Kamada–Kawai
GAP = 2.5               # layout units between packed components
SINGLE_GAP = 0.9        # layout units between lone nodes in their grid
NEAR = 3.0              # exact repulsion within this distance, from grid cells' centres of mass beyond it
CELL = 6.0              # grid cell side for the far field
GOLDEN = math.pi * (3 - math.sqrt(5))


def positions(graph: nx.Graph, *, seed: int = 7) -> dict:
    """``{node: (x, y)}`` in screen pixels (y grows downwards, as vis-network draws)."""
    if graph.number_of_nodes() == 0:
        return {}
    graph = _canonical(graph)
    rng = np.random.default_rng(seed)
    blocks = []
    for component in sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(map(str, c)))):
        nodes = sorted(component, key=str)
        if len(nodes) == 1:
            xy = np.zeros((1, 2))
        elif len(nodes) <= KAMADA_KAWAI_MAX:
            pos = nx.kamada_kawai_layout(_canonical(graph.subgraph(nodes)), weight=None)
            xy = np.array([pos[n] for n in nodes]) * math.sqrt(len(nodes)) * 0.9
        else:
            xy = _core_and_leaves(_canonical(graph.subgraph(nodes)), nodes, rng)
        blocks.append((nodes, xy - xy.mean(axis=0)))
    placed = _pack(blocks)
    return {n: (round(float(x) * SPACING, 1), round(float(y) * SPACING, 1)) for n, (x, y) in placed.items()}


def _canonical(graph: nx.Graph) -> nx.Graph:
    """The same graph with its nodes and links in sorted order: a subgraph view iterates a set, and the
    store returns links in no fixed order, so without this the picture would change from run to run."""
    out = nx.Graph()
    out.add_nodes_from(sorted(graph.nodes, key=str))
    out.add_edges_from(sorted((tuple(sorted((a, b), key=str)) for a, b in graph.edges()), key=lambda e: (str(e[0]), str(e[1]))))
    return out


def _core_and_leaves(graph: nx.Graph, nodes: list, rng: np.random.Generator) -> np.ndarray:
    degree = dict(graph.degree())
    leaves = {n for n in nodes if degree[n] == 1 and degree[next(iter(graph[n]))] > 1}
    core = [n for n in nodes if n not in leaves]
    carried: dict = {n: [] for n in core}
    for leaf in sorted(leaves, key=str):
        carried[next(iter(graph[leaf]))].append(leaf)
    index = {n: i for i, n in enumerate(core)}
    edges = np.array([(index[a], index[b]) for a, b in graph.edges() if a in index and b in index], dtype=np.int64).reshape(-1, 2)
    mass = np.array([1.0 + 0.6 * len(carried[n]) for n in core])
    core_xy = _force(len(core), edges, mass, rng)

    xy = {n: core_xy[index[n]] for n in core}
    center = core_xy.mean(axis=0)
    for hub, satellites in carried.items():
        if not satellites:
            continue
        hx, hy = xy[hub]
        turn = math.atan2(hy - center[1], hx - center[0])  # start the spiral facing outwards
        for j, leaf in enumerate(satellites):
            radius = 0.9 + 0.45 * math.sqrt(j + 0.5)
            angle = turn + j * GOLDEN
            xy[leaf] = np.array([hx + radius * math.cos(angle), hy + radius * math.sin(angle)])
    return np.array([xy[n] for n in nodes])


def _force(n: int, edges: np.ndarray, mass: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Fruchterman–Reingold with mass-weighted repulsion: exact within NEAR, grid centroids beyond."""
    from scipy.spatial import cKDTree

    if n == 1:
        return np.zeros((1, 2))
    side = math.sqrt(mass.sum()) * 1.5
    pos = rng.random((n, 2)) * side
    iterations = 150 if n <= 1000 else 90
    start = side / 6
    for step in range(iterations):
        temperature = max(start * (1 - step / iterations), 0.01)
        disp = np.zeros((n, 2))
        # near field, exact
        pairs = cKDTree(pos).query_pairs(NEAR, output_type="ndarray")
        if len(pairs):
            i, j = pairs[:, 0], pairs[:, 1]
            delta = pos[i] - pos[j]
            dist2 = np.maximum((delta ** 2).sum(axis=1), 1e-4)
            push = delta * (mass[i] * mass[j] / dist2)[:, None]
            for axis in (0, 1):
                disp[:, axis] += np.bincount(i, push[:, axis], n) - np.bincount(j, push[:, axis], n)
        # far field, from the centres of mass of grid cells (as vectors: W @ centroids)
        cell = np.floor((pos - pos.min(axis=0)) / CELL).astype(np.int64)
        cells, owner = np.unique(cell[:, 0] * 1_000_003 + cell[:, 1], return_inverse=True)
        cell_mass = np.bincount(owner, mass, len(cells))
        gx = np.bincount(owner, mass * pos[:, 0], len(cells)) / cell_mass
        gy = np.bincount(owner, mass * pos[:, 1], len(cells)) / cell_mass
        dx = pos[:, 0:1] - gx[None, :]
        dy = pos[:, 1:2] - gy[None, :]
        dist2 = dx * dx + dy * dy
        weight = np.where(dist2 > NEAR * NEAR, cell_mass[None, :] / np.maximum(dist2, 1e-4), 0.0)
        total = weight.sum(axis=1)
        disp[:, 0] += mass * (pos[:, 0] * total - weight @ gx)
        disp[:, 1] += mass * (pos[:, 1] * total - weight @ gy)
        # springs
        if len(edges):
            i, j = edges[:, 0], edges[:, 1]
            delta = pos[i] - pos[j]
            dist = np.sqrt(np.maximum((delta ** 2).sum(axis=1), 1e-8))
            pull = delta * dist[:, None]
            for axis in (0, 1):
                disp[:, axis] -= np.bincount(i, pull[:, axis], n) - np.bincount(j, pull[:, axis], n)
        length = np.sqrt(np.maximum((disp ** 2).sum(axis=1), 1e-12))
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
    return pos


def _pack(blocks: list[tuple[list, np.ndarray]]) -> dict:
    """Shelf-pack the laid-out components, biggest first, in rows about as wide as the biggest;
    lone nodes go last, in a compact grid under them."""
    boxes, singles = [], []
    for nodes, xy in blocks:
        if len(nodes) == 1:
            singles.append(nodes[0])
            continue
        low, high = xy.min(axis=0), xy.max(axis=0)
        boxes.append((nodes, xy - low, high - low))
    total_area = sum((w + GAP) * (h + GAP) for _, _, (w, h) in boxes)
    row_width = max([w for _, _, (w, _) in boxes] + [math.sqrt(total_area) * 1.3, math.sqrt(len(singles)) * SINGLE_GAP])
    placed, x, y, row_height = {}, 0.0, 0.0, 0.0
    for nodes, xy, (w, h) in boxes:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + GAP, 0.0
        for node, (px, py) in zip(nodes, xy):
            placed[node] = (px + x, py + y)
        x += w + GAP
        row_height = max(row_height, h)
    if singles:
        top = y + row_height + (GAP if boxes else 0.0)
        per_row = max(1, int(row_width // SINGLE_GAP) + 1)
        for i, node in enumerate(singles):
            placed[node] = ((i % per_row) * SINGLE_GAP, top + (i // per_row) * SINGLE_GAP)
    return placed


GROUP_GAP = 1.6  # layout units between the blocks of a grouped layout


def grouped_positions(graph: nx.Graph, group_of: dict, *, seed: int = 7) -> dict:
    """Each group (a sector and its entities and cooperants, the city networks, the ODS and PDD objectives…)
    laid out on its own with `positions`, then the groups packed side by side, largest first, so what belongs
    together sits together and the links between groups are the only long lines."""
    members: dict = {}
    for n in graph.nodes:
        members.setdefault(group_of.get(n, "~"), []).append(n)
    blocks = []
    for key in sorted(members, key=lambda k: (-len(members[k]), str(k))):
        sub = graph.subgraph(members[key])
        pos = positions(sub, seed=seed)
        nodes = sorted(pos, key=str)
        xy = np.array([pos[n] for n in nodes]) / SPACING
        blocks.append((nodes, xy - xy.mean(axis=0)))
    if len(blocks) == 1:
        return positions(graph, seed=seed)
    boxes = []
    for nodes, xy in blocks:
        low, high = xy.min(axis=0), xy.max(axis=0)
        boxes.append((nodes, xy - low, np.maximum(high - low, 0.5)))
    total_area = sum((w + GROUP_GAP) * (h + GROUP_GAP) for _, _, (w, h) in boxes)
    width = max([w for _, _, (w, _) in boxes] + [math.sqrt(total_area) * 1.35])
    placed, rects = {}, []  # bottom-left packing: each block goes as high as it fits, then as far left
    for nodes, xy, (w, h) in sorted(boxes, key=lambda b: -(b[2][0] * b[2][1])):
        best = None
        for x in sorted({0.0, *(r[2] + GROUP_GAP for r in rects)}):
            if x > 0 and x + w > width:
                continue
            y = max([r[3] + GROUP_GAP for r in rects if r[0] < x + w and x < r[2]] + [0.0])
            if best is None or (y, x) < best:
                best = (y, x)
        y, x = best
        rects.append((x, y, x + w, y + h))
        for node, (px, py) in zip(nodes, xy):
            placed[node] = (px + x, py + y)
    return {n: (round(float(px) * SPACING, 1), round(float(py) * SPACING, 1)) for n, (px, py) in placed.items()}


def spread(graph: nx.Graph, seeds: dict, *, avoid: set = frozenset()) -> dict:
    """Complete a partial ``{node: group}``: each other node joins the group most of its grouped neighbours are
    in (never one of `avoid`, e.g. the ODS block), ring by ring; nodes still alone keep no group."""
    group_of = dict(seeds)
    for _ in range(6):
        changed = False
        for n in sorted(graph.nodes, key=str):
            if n in group_of:
                continue
            votes: dict = {}
            for o in graph.neighbors(n):
                g = group_of.get(o)
                if g is not None and g not in avoid:
                    votes[g] = votes.get(g, 0) + 1
            if votes:
                group_of[n] = min(votes, key=lambda g: (-votes[g], str(g)))
                changed = True
        if not changed:
            break
    return group_of
