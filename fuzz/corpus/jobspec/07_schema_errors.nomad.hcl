job "e" {
  cont = 1
  group {
  }
  group "a" "b" {
  }
  group "g" {
    restart {}
    restart {}
    servce {}
    network {
      port "p" { static = 99999 }
      port "p" { to = -7 }
    }
    task "t" {
      config = "not an object"
      meta { nested { x = 1 } }
      resources { memory = 0 cpu = -1 }
    }
  }
}
