a = 1 / 0
b = 5 % 0
c = "3" * "4"
d = 1e308 * 10
e = var.name + 1
