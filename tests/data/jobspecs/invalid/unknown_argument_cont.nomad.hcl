# error: 6:5: Did you mean "count"?
job "api" {
  datacenters = ["dc1"]

  group "api" {
    cont = 1

    task "api" {
      driver = "docker"

      config {
        image = "nginx:1.27"
      }
    }
  }
}
