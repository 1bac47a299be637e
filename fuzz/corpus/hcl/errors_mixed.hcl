a = 1 +
b = @
c { d = }
a = 2
e = "unterminated
f = { g h }
