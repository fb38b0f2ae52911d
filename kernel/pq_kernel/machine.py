"""A client for `pq machine`: one JSON object per line each way (docs/notebooks.md)."""
import json
import os
import signal
import subprocess
import threading


class MachineError(Exception):
    """The pq process ended or wrote something that is not the protocol."""


class Machine:
    def __init__(self, binary, arguments=()):
        self.binary = binary
        self.arguments = list(arguments)
        self.process = None
        self.buffer = bytearray()
        self.next_id = 0
        self.start()

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "machine", *self.arguments],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            # Its own session: an interrupt reaches pq once, forwarded by `interrupt`, never
            # also through the kernel's process group (a second SIGINT could land on the next cell).
            start_new_session=True,
        )
        self.buffer = bytearray()
        ready = self.read_message()
        if ready.get("event") != "ready":
            raise MachineError(f"pq machine did not start: {ready!r}")
        self.version = ready.get("version", "")

    @property
    def alive(self):
        return self.process is not None and self.process.poll() is None

    def read_message(self):
        """The next line from pq, parsed. os.read is used (not a buffered readline) so that an
        interrupt while waiting loses no bytes: they stay in the pipe or in self.buffer."""
        fd = self.process.stdout.fileno()
        while b"\n" not in self.buffer:
            chunk = os.read(fd, 65536)
            if not chunk:
                raise MachineError("pq machine ended")
            self.buffer += chunk
        line, _, rest = bytes(self.buffer).partition(b"\n")
        self.buffer = bytearray(rest)
        return json.loads(line)

    def request(self, op, on_output=None, **fields):
        """Sends one request and returns its result message. Output messages go to on_output as
        they arrive. An interrupt while waiting is passed to pq as SIGINT (stopping the running
        evaluation) and waiting goes on, so the result is never lost."""
        self.next_id += 1
        request_id = self.next_id
        line = json.dumps({"id": request_id, "op": op, **fields}) + "\n"
        # While pq works, SIGINT is passed on to it (which stops the evaluation) instead of
        # raising KeyboardInterrupt here, which could land between reading the result and
        # returning it. Only the main thread may set a handler; elsewhere a KeyboardInterrupt
        # is still caught around each read.
        previous = None
        if threading.current_thread() is threading.main_thread():
            previous = signal.signal(signal.SIGINT, lambda number, frame: self.interrupt())
        try:
            self.process.stdin.write(line.encode())
            self.process.stdin.flush()
            while True:
                try:
                    message = self.read_message()
                except KeyboardInterrupt:
                    self.interrupt()
                    continue
                if message.get("id") != request_id:
                    continue
                if message.get("event") == "output":
                    if on_output:
                        on_output(message.get("text", ""))
                    continue
                return message
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    def interrupt(self):
        if self.alive:
            os.kill(self.process.pid, signal.SIGINT)

    def close(self):
        if not self.alive:
            return
        try:
            self.process.stdin.write(b'{"id": 0, "op": "quit"}\n')
            self.process.stdin.flush()
            self.process.wait(5)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
