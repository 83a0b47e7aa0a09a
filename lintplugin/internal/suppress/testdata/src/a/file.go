package a

//cgoguard:file-ignore flagbad the whole file

func moreCalls() {
	bad()
	bad()
}
