# error: 6:11: Argument or block definition required
job "api" {
  datacenters = ["dc1"]

  group "api" {
    count 3

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
