# error: 10:26: duration
job "api" {
  datacenters = ["dc1"]

  group "api" {
    count = 2

    update {
      max_parallel     = 1
      healthy_deadline = "10 sec"
    }

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
