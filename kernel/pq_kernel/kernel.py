"""The Jupyter kernel: cells go to one `pq machine` process, so they share bindings. A cell's
value comes back as rich output (tables as HTML, charts as SVG, always with plain text); print
goes to stdout; errors come back as error replies with pq's diagnostic and caret."""
import fnmatch
import html
import os
import shutil

from ipykernel.kernelbase import Kernel

from .machine import Machine, MachineError


def pq_binary():
    found = os.environ.get("PQ") or shutil.which("pq")
    if not found:
        raise RuntimeError("pq not found: put it on PATH or set PQ to its path")
    return found


class PQKernel(Kernel):
    implementation = "pq"
    implementation_version = "0.1.0"
    language = "pq"
    language_version = "0.1.0"
    language_info = {
        "name": "pq",
        "mimetype": "text/x-pq",
        "file_extension": ".pq",
        "pygments_lexer": "text",
        "codemirror_mode": "text",
    }
    banner = "pq: question the figures of social platforms"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.machine = Machine(pq_binary())
        self.language_version = self.implementation_version = self.machine.version
        # (session, line number, input) of each executed cell, for history requests.
        self.history = []

    def ensure_machine(self):
        if not self.machine.alive:
            self.machine = Machine(pq_binary())
            return False
        return True

    def do_execute(self, code, silent, store_history=True, user_expressions=None, allow_stdin=False, *, cell_meta=None, cell_id=None):
        if not code.strip():
            return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}
        restarted = not self.ensure_machine()
        if store_history:
            self.history.append((0, self.execution_count, code))

        def output(text):
            if not silent:
                self.send_response(self.iopub_socket, "stream", {"name": "stdout", "text": text})

        try:
            result = self.machine.request(
                "evaluate", on_output=output, code=code, name=f"<cell {self.execution_count}>"
            )
        except MachineError as problem:
            self.machine = Machine(pq_binary())
            return self.error_reply("pq ended", f"{problem}; a fresh pq has started (bindings are gone)")
        if result.get("status") != "ok":
            error = result.get("error", {})
            kind = error.get("kind", "error")
            name = {"syntax": "SyntaxError", "runtime": "RuntimeError", "limit": "LimitError"}.get(kind, "Error")
            if error.get("reason") == "cancelled":
                name = "Interrupted"
            rendered = error.get("rendered", error.get("message", ""))
            if restarted:
                rendered += "\n(pq had ended and was restarted: earlier bindings are gone)"
            return self.error_reply(name, error.get("message", ""), rendered, silent)
        if not silent and result.get("text") is not None:
            data = {"text/plain": result["text"]}
            if "html" in result:
                data["text/html"] = result["html"]
            if "caveat_line" in result:
                # A number with caveats says so under it, as at pq's prompt.
                line = result["caveat_line"]
                data["text/plain"] += "\n" + line
                data["text/html"] = (
                    "<div>" + html.escape(result["text"]) + "</div>"
                    + '<div style="opacity: 0.6">' + html.escape(line) + "</div>"
                )
            if "svg" in result:
                data["image/svg+xml"] = result["svg"]
            self.send_response(
                self.iopub_socket,
                "execute_result",
                {"execution_count": self.execution_count, "data": data, "metadata": {}},
            )
        return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}

    def error_reply(self, name, message, rendered=None, silent=False):
        traceback = (rendered or message).split("\n")
        if not silent:
            self.send_response(
                self.iopub_socket, "error", {"ename": name, "evalue": message, "traceback": traceback}
            )
        return {
            "status": "error",
            "execution_count": self.execution_count,
            "ename": name,
            "evalue": message,
            "traceback": traceback,
        }

    def do_complete(self, code, cursor_pos):
        self.ensure_machine()
        result = self.machine.request("complete", code=code, cursor=cursor_pos)
        return {
            "status": "ok",
            "matches": result.get("matches", []),
            "cursor_start": result.get("start", cursor_pos),
            "cursor_end": result.get("end", cursor_pos),
            "metadata": {},
        }

    def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        self.ensure_machine()
        result = self.machine.request("inspect", code=code, cursor=cursor_pos)
        data = {}
        if result.get("found"):
            data = {"text/markdown": result["text"], "text/plain": result["text"]}
        return {"status": "ok", "found": bool(result.get("found")), "data": data, "metadata": {}}

    def do_is_complete(self, code):
        self.ensure_machine()
        status = self.machine.request("is_complete", code=code).get("complete", "unknown")
        reply = {"status": status}
        if status == "incomplete":
            reply["indent"] = "  "
        return reply

    def do_history(self, hist_access_type, output, raw, session=None, start=None, stop=None, n=None, pattern=None, unique=False, **kwargs):
        entries = self.history
        if hist_access_type == "tail":
            entries = entries[-n:] if n else entries
        elif hist_access_type == "range":
            entries = [e for e in entries if (start is None or e[1] >= start) and (stop is None or e[1] < stop)]
        elif hist_access_type == "search":
            entries = [e for e in entries if fnmatch.fnmatch(e[2], pattern or "*")]
            if unique:
                seen, kept = set(), []
                for entry in reversed(entries):
                    if entry[2] not in seen:
                        seen.add(entry[2])
                        kept.append(entry)
                entries = list(reversed(kept))
            if n:
                entries = entries[-n:]
        if output:
            entries = [(s, line, (code, None)) for s, line, code in entries]
        return {"status": "ok", "history": entries}

    def do_shutdown(self, restart):
        self.machine.close()
        return {"status": "ok", "restart": restart}
