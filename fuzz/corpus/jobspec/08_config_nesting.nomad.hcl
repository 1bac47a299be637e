job "n" {
  group "g" {
    task "t" {
      driver = "docker"
      config {
        image = "x"
        mount { type = "bind" }
        mount "labelled" "twice" { deep { deeper { x = [1, {a = null}] } } }
        args = [for i in range(3) : "${i}"]
      }
    }
  }
}
