module modernize

go 1.26
