# error: 8:29: Missing item separator
job "api" {
	datacenters = ["dc1"]

	group "api" {
		service {
			name = "api"
			tags = ["urlprefix-/api" "v1"]
		}

		task "api" {
			driver = "docker"

			config {
				image = "nginx:1.27"
			}
		}
	}
}
