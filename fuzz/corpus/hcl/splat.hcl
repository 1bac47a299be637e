servers = [{ id = "a" }, { id = "b" }]
a = var.ports[*]
b = var.tags.*.env
c = [[1, 2], [3]][*][0]
d = var.nothing[*].x
