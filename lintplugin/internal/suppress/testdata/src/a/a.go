package a

func bad() int { return 0 }

func calls() {
	bad() // want "flagbad: bad called"
	bad() // cgoguard:ignore flagbad not a directive, a space after the slashes // want "flagbad: bad called"
	bad() //cgoguard:ignore flagbad a reason
	//cgoguard:ignore flagbad a reason
	bad()
	//cgoguard:ignore flagbad a reason
	_ = bad() + bad()
	_ = []int{
		bad(), //cgoguard:ignore flagbad after code: this line only
		bad(), // want "flagbad: bad called"
	}
	//cgoguard:ignore flagbad the next line has no call // want "^flagbad: //cgoguard:ignore suppresses no flagbad finding: remove it, or flagbad from its list$"
	_ = 1
	//cgoguard:ignore other,flagbad two checks
	bad()
	//cgoguard:ignore other only another check
	bad() // want "flagbad: bad called"
	// want +1 "flagbad: bad called"
	bad()           //cgoguard:ignore flagbad
	if bad() == 0 { //cgoguard:ignore flagbad after an if's opening brace
	}
}
