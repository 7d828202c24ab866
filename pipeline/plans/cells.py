"""pdfplumber's table finder with its cell search made fast, giving exactly its cells.

`pdfplumber.table.intersections_to_cells` scans, for every ruling-line crossing, every later crossing
to find those below and to the right, and turns each crossing's edges into a fresh set at every test:
quadratic in the crossings, and a fifth of the table pass on the corpus's ruled tables. Here the same
search reads precomputed edge sets and the crossings of the same column or row, in the same order, so the
cells (and hence the tables, their order and every byte written from them) are pdfplumber's own:
tests/test_plan_tables.py compares the two on random lattices and on the corpus's 356 ruled pages.
Written against pdfplumber 0.11; `FastTableFinder.__init__` repeats `TableFinder.__init__`'s steps.
"""
from __future__ import annotations

from bisect import bisect_right

from pdfplumber import utils
from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """The cells pdfplumber's `intersections_to_cells` finds, in its order."""
    points = sorted(intersections)
    v_sets = {p: frozenset(map(utils.obj_to_bbox, intersections[p]["v"])) for p in points}
    h_sets = {p: frozenset(map(utils.obj_to_bbox, intersections[p]["h"])) for p in points}
    by_top: dict = {}
    for p in points:  # sorted by (x, top): each row's crossings in x order
        by_top.setdefault(p[1], []).append(p)
    row_xs = {top: [p[0] for p in row] for top, row in by_top.items()}

    def v_connects(a, b) -> bool:
        return not v_sets[a].isdisjoint(v_sets[b])

    def h_connects(a, b) -> bool:
        return not h_sets[a].isdisjoint(h_sets[b])

    def connects(a, b) -> bool:  # pdfplumber's edge_connects
        return (a[0] == b[0] and v_connects(a, b)) or (a[1] == b[1] and h_connects(a, b))

    cells = []
    n = len(points)
    for i, pt in enumerate(points):
        if i == n - 1:
            break
        below = []
        j = i + 1
        while j < n and points[j][0] == pt[0]:  # same x, larger top: the crossings right after it
            below.append(points[j])
            j += 1
        row = by_top[pt[1]]
        right = row[bisect_right(row_xs[pt[1]], pt[0]):]
        found = None
        for below_pt in below:
            if not connects(pt, below_pt):
                continue
            for right_pt in right:
                if not connects(pt, right_pt):
                    continue
                bottom_right = (right_pt[0], below_pt[1])
                if bottom_right in intersections and connects(bottom_right, right_pt) \
                        and connects(bottom_right, below_pt):
                    found = (pt[0], pt[1], bottom_right[0], bottom_right[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


class FastTableFinder(TableFinder):
    """pdfplumber's TableFinder (its steps, its settings) with the cell search above."""

    def __init__(self, page, settings=None):
        self.page = page
        self.settings = TableSettings.resolve(settings)
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, self.settings.intersection_x_tolerance, self.settings.intersection_y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]
