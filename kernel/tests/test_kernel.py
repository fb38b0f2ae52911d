"""The pq kernel as a notebook uses it: shared bindings, rich output, errors with pq's caret,
inspection of a figure's provenance, an interrupt that keeps the bindings, and a restart that
gives a fresh interpreter."""
import queue
import time

import pytest
from jupyter_client.manager import start_new_kernel


@pytest.fixture
def kernel():
    manager, client = start_new_kernel(kernel_name="pq", startup_timeout=60)
    yield manager, client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def run(client, code, timeout=30):
    """Executes a cell; returns (reply content, [iopub messages of that cell])."""
    msg_id = client.execute(code)
    reply = client.get_shell_msg(timeout=timeout)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=timeout)
    messages = []
    while True:
        message = client.get_iopub_msg(timeout=timeout)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
        messages.append(message)
    return reply["content"], messages


def results(messages):
    return [m["content"]["data"] for m in messages if m["msg_type"] == "execute_result"]


def test_cells_share_bindings_and_print_goes_to_stdout(kernel):
    _, client = kernel
    reply, _ = run(client, "let doubled = x.mau * 2")
    assert reply["status"] == "ok"
    reply, messages = run(client, 'print("users:", doubled)\ndoubled')
    assert reply["status"] == "ok"
    streams = [m["content"] for m in messages if m["msg_type"] == "stream"]
    assert streams == [{"name": "stdout", "text": "users: 141M users\n"}]
    assert results(messages)[0]["text/plain"] == "141M users"


def test_a_number_with_caveats_says_so_under_it(kernel):
    _, client = kernel
    _, messages = run(client, "x.news_share + truth.news_share")
    data = results(messages)[0]
    assert data["text/plain"].startswith("116%\n2 caveats: shares of different wholes")
    assert "opacity" in data["text/html"] and "caveats(_)" in data["text/html"]
    _, messages = run(client, "ratio(x.mau, truth.mau)")
    assert results(messages)[0]["text/plain"] == "101"


def test_tables_are_html_and_charts_are_svg(kernel):
    _, client = kernel
    _, messages = run(client, "compare(x, truth)")
    data = results(messages)[0]
    assert data["text/html"].startswith('<table class="pq"><thead><tr><th>metric</th>')
    assert "<li>revenue: definitions differ (advertising revenue vs revenue)</li>" in data["text/html"]
    assert "caveats:" in data["text/plain"]
    _, messages = run(client, 'chart(with_figure(platforms, "mau"), "mau")')
    data = results(messages)[0]
    assert data["image/svg+xml"].startswith("<svg")
    assert "70.4M users" in data["image/svg+xml"]
    assert "Similarweb" in data["image/svg+xml"]


def test_errors_are_error_replies_with_the_caret(kernel):
    _, client = kernel
    reply, messages = run(client, "x.news_share + 5")
    assert reply["status"] == "error"
    errors = [m["content"] for m in messages if m["msg_type"] == "error"]
    assert len(errors) == 1
    traceback = "\n".join(errors[0]["traceback"])
    assert "cannot add a plain number and a percentage" in traceback
    assert "^" in traceback and "<cell" in traceback
    # A failed cell defines nothing, and the kernel goes on.
    reply, _ = run(client, "let half = 1 / 0 + 2\n")
    reply, messages = run(client, "1 + 1")
    assert results(messages)[0]["text/plain"] == "2"


def test_inspection_shows_a_figures_provenance(kernel):
    _, client = kernel
    msg_id = client.inspect("ratio(x.revenue, truth.revenue)", cursor_pos=10)
    reply = client.get_shell_msg(timeout=30)
    assert reply["parent_header"]["msg_id"] == msg_id
    text = reply["content"]["data"]["text/markdown"]
    assert "**x.revenue** = $2B" in text
    assert "x.revenue is an estimate" in text


def test_interrupt_stops_a_running_cell_and_keeps_bindings(kernel):
    manager, client = kernel
    run(client, "let kept = 41")
    msg_id = client.execute("while true {}")
    time.sleep(1.0)
    manager.interrupt_kernel()
    reply = client.get_shell_msg(timeout=30)
    while reply["parent_header"].get("msg_id") != msg_id:
        reply = client.get_shell_msg(timeout=30)
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "Interrupted"
    _, messages = run(client, "kept + 1")
    assert results(messages)[0]["text/plain"] == "42"


def test_restart_gives_a_fresh_interpreter(kernel):
    manager, client = kernel
    run(client, "let gone = 1")
    manager.restart_kernel(now=False)
    client.wait_for_ready(timeout=60)
    reply, messages = run(client, "gone")
    assert reply["status"] == "error"
    assert "'gone' is not defined" in "\n".join(reply["traceback"])
