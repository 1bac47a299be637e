# error: 15:3: duplicate
job "api" {
  datacenters = ["dc1"]

  group "api" {
    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }

  group "api" {
    task "worker" {
      driver = "docker"

      config {
        image = "busybox:1.36"
      }
    }
  }
}
