//go:build cgoguard

package guardzap

import (
	"go.uber.org/zap"

	"github.com/cgoguard/cgoguard/guard/internal/report"
)

func setLogger(l *zap.Logger) { report.SetLogger(l) }
