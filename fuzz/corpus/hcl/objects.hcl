o = {
  a = 1
  "b" : 2,
  (var.name) = 3
  4 = "four"
}
p = { nested = { deep = [1, { x = null }] } }
