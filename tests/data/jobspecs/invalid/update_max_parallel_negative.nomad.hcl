# error: 6:20: max_parallel
job "api" {
  datacenters = ["dc1"]

  update {
    max_parallel = -2
  }

  group "api" {
    count = 3

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
