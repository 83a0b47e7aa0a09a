module go116

go 1.16
