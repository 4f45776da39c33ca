"""Lists what a Python program uses from a Pulumi SDK module, for test/library/examples.test.ts.

Usage: python3 python_usage.py <program.py> <sdk module, e.g. pulumi_shoestring>
Prints JSON: {"alias": ..., "calls": [{"name", "kwargs", "line"}], "enums": [{"enum", "member", "line"}],
"attributes": [{"cls", "attr", "line"}], "other": [{"expr", "line"}]}.
"""
import ast
import json
import sys


def main(path: str, module: str) -> None:
    tree = ast.parse(open(path, encoding="utf-8").read(), filename=path)
    alias = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                if name.name == module:
                    alias = name.asname or name.name
    if alias is None:
        raise SystemExit(f"{path} does not import {module}")

    calls, enums, attributes, other = [], [], [], []
    instances = {}  # variable name -> class it was constructed from
    consumed = set()  # ids of Attribute nodes already classified

    def sdk_member(node):
        """`alias.X` -> "X", else None."""
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == alias:
            return node.attr
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and sdk_member(node.value.func):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    instances[target.id] = sdk_member(node.value.func)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and sdk_member(node.func):
            calls.append({"name": sdk_member(node.func), "kwargs": [k.arg for k in node.keywords], "line": node.lineno})
            consumed.add(id(node.func))
        elif isinstance(node, ast.Attribute) and sdk_member(node.value):
            enums.append({"enum": sdk_member(node.value), "member": node.attr, "line": node.lineno})
            consumed.add(id(node.value))
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in instances:
            attributes.append({"cls": instances[node.value.id], "attr": node.attr, "line": node.lineno})
    for node in ast.walk(tree):
        if sdk_member(node) and id(node) not in consumed:
            other.append({"expr": f"{alias}.{node.attr}", "line": node.lineno})

    print(json.dumps({"alias": alias, "calls": calls, "enums": enums, "attributes": attributes, "other": other}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
