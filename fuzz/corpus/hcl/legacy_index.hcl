a = var.ports.0
b = var.ports.1
c = [[1, [2, 3]]].0.1.0
