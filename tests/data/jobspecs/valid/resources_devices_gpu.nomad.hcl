# Exercises: resources with cores (instead of cpu), memory, memory_max, device blocks with count, constraint and affinity; a second task with cpu.
job "ml-inference" {
  datacenters = ["gpu-dc1"]

  group "inference" {
    count = 1

    task "triton" {
      driver = "docker"

      config {
        image = "nvcr.io/nvidia/tritonserver:24.05-py3"
        args  = ["tritonserver", "--model-repository=/models"]
      }

      resources {
        cores      = 4
        memory     = 16384
        memory_max = 24576

        device "nvidia/gpu" {
          count = 2

          constraint {
            attribute = "${device.attr.memory}"
            operator  = ">="
            value     = "16 GiB"
          }

          affinity {
            attribute = "${device.model}"
            value     = "Tesla V100-SXM2-16GB"
            weight    = 75
          }
        }

        device "intel/fpga" {}
      }
    }

    task "metrics" {
      driver = "docker"

      config {
        image = "nvidia/dcgm-exporter:3.3.6-3.4.2-ubuntu22.04"
      }

      resources {
        cpu    = 100
        memory = 128
      }
    }
  }
}
