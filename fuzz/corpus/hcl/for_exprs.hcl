a = [for i, p in var.ports : p * i if p > 0]
b = {for k, v in var.tags : upper(k) => v}
c = {for p in [1, 2, 3, 1] : tostring(p) => p...}
d = [for x in var.nothing : x]
