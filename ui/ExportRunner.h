// Runs a grid video export on a worker thread behind a modal progress dialog (frame n of m,
// Cancel), keeping the event loop alive; returns when the export has ended.
#pragma once

#include <QString>
#include <atomic>

#include "GridVideoExport.h"

class QWidget;

namespace heardmap {

struct ExportOutcome {
  bool written = false;
  bool cancelled = false;
  QString error;  // non-empty when the export failed
  GridExportSummary summary;
};

// cancel may also be set by the caller (e.g. a test) while the export runs.
ExportOutcome runGridExport(QWidget* parent, const GridExportOptions& options,
                            std::atomic<bool>* cancel);

}  // namespace heardmap
