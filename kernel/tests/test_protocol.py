"""The Jupyter messaging protocol, checked by jupyter_kernel_test against the pq kernel."""
import unittest

import jupyter_kernel_test


class PQKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "pq"
    language_name = "pq"
    file_extension = ".pq"

    code_hello_world = 'print("hello, world")'
    code_stderr = ""

    completion_samples = [
        {"text": "x.we", "matches": {"web_visits"}},
        {"text": "rat", "matches": {"ratio"}},
    ]
    complete_code_samples = ["1 + 2", "let a = 1", "fn f(k) { k * 2 }"]
    incomplete_code_samples = ["fn f(k) {", "let a = (1 +", "[1, 2,"]
    invalid_code_samples = ["let = 3", "1 +* 2"]

    code_inspect_sample = "ratio"

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "x.mau", "result": "70.4M users"},
        {"code": "ratio(x.mau, truth.mau)", "result": "101"},
    ]

    code_generate_error = "x.revenue + x.mau"

    code_display_data = []

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "1 + *"


if __name__ == "__main__":
    unittest.main()
