a = 1 + 2 * 3 - 4 / 2 % 3
b = !var.enabled || var.count >= 3 && var.count != 4
c = var.count > 2 ? "big" : "small"
d = -var.count <= -(1 + 2)
