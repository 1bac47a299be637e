# error: 7:17: operator
job "api" {
  datacenters = ["dc1"]

  constraint {
    attribute = "${attr.kernel.name}"
    operator  = "=~"
    value     = "linux"
  }

  group "api" {
    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
