"""examples/notebook.ipynb runs top to bottom on the pq kernel (nbclient, as `jupyter nbconvert
--execute` does), without errors, and gives the outputs committed in it."""
import copy
import pathlib

import nbformat
from nbclient import NotebookClient

NOTEBOOK = pathlib.Path(__file__).resolve().parents[2] / "examples" / "notebook.ipynb"


def outputs(notebook):
    found = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        shown = []
        for output in cell.outputs:
            if output.output_type == "stream":
                shown.append(("stream", output.name, output.text))
            elif output.output_type == "execute_result":
                data = output.data
                shown.append(("result", data["text/plain"], data.get("text/html"), data.get("image/svg+xml")))
            else:
                shown.append((output.output_type, output.get("evalue", "")))
        found.append(shown)
    return found


def test_notebook_runs_and_gives_its_committed_outputs():
    committed = nbformat.read(NOTEBOOK, as_version=4)
    fresh = copy.deepcopy(committed)
    for cell in fresh.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    NotebookClient(fresh, timeout=60, kernel_name="pq", record_timing=False).execute()
    ran = outputs(fresh)
    assert all(kind != "error" for cell in ran for (kind, *_) in cell), ran
    assert ran == outputs(committed)
    # The comparison is an HTML table with its caveats, the chart an SVG with its source line.
    assert "<table" in ran[0][0][2] and "periods cannot be compared" in ran[0][0][2]
    chart = [shown for cell in ran for shown in cell if shown[0] == "result" and shown[3]]
    assert len(chart) == 1 and "Similarweb, September 2024" in chart[0][3]
