"""No import loop between modules (issue 11): the import-linter contracts (`make lint`) keep apps in layers; this
keeps every module of the code (tests and migrations aside) out of any cycle, function-level imports included, so a
module can always be read, and loaded, after the ones it uses. The graph is grimp's, the one import-linter reads."""

import grimp


def strongly_connected(graph, modules):
    """The groups of two or more modules that import each other, directly or through others (Tarjan)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = 0
    for root in sorted(modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & modules)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child) & modules))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def test_the_finder_sees_a_loop_through_a_third_module():
    graph = grimp.ImportGraph()
    for name in ("a", "a.one", "a.two", "a.three", "a.four"):
        graph.add_module(name)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.three")
    graph.add_import(importer="a.three", imported="a.one")
    graph.add_import(importer="a.four", imported="a.one")
    assert strongly_connected(graph, {"a.one", "a.two", "a.three", "a.four"}) == [["a.one", "a.three", "a.two"]]


def test_no_module_of_the_code_is_in_an_import_loop():
    graph = grimp.build_graph("centinela", "analysis")
    code = {m for m in graph.modules if ".tests" not in m and ".migrations" not in m and not m.endswith(".conftest")}
    assert strongly_connected(graph, code) == []
