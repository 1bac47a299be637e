# error: 10:17: There is no function named
job "api" {
  datacenters = ["dc1"]

  group "api" {
    task "api" {
      driver = "docker"

      config {
        image = uppercase("nginx:1.27")
      }
    }
  }
}
