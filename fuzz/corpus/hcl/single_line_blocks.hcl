network { port "http" { to = 8080 } }
a {}
b { c = "d" }
