// One failure case marked by a researcher: a time range of a clip, boxes at keyframes (linearly
// interpolated between them), a tag, a note, and which model heard which audio when it failed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "../AudioCondition.h"
#include "../Json.h"

namespace heardmap {

enum class FailureTag {
  Invalid = 0,
  FalsePositive,         // a spot where nothing sounds
  MissedSource,          // the sounding object is not highlighted
  WrongObject,           // a different (silent) object is highlighted
  OffScreenConfusion,    // an off-screen sound is put on a visible object
  SilenceHallucination,  // a confident spot under silence
  Custom,                // customTag says what
};

std::string failureTagName(FailureTag tag);   // "false-positive", ... (files)
std::string failureTagLabel(FailureTag tag);  // "false positive", ... (UI)
FailureTag failureTagFromName(const std::string& name);
std::vector<FailureTag> allFailureTags();

// A box in [0, 1] coordinates of the frame, x0 <= x1, y0 <= y1.
struct NormalizedBox {
  double x0 = 0.0;
  double y0 = 0.0;
  double x1 = 0.0;
  double y1 = 0.0;

  // Sorted corners clipped to [0, 1].
  NormalizedBox normalized() const;
  double area() const { return (x1 - x0) * (y1 - y0); }
  bool operator==(const NormalizedBox& o) const {
    return x0 == o.x0 && y0 == o.y0 && x1 == o.x1 && y1 == o.y1;
  }
};

struct BoxKeyframe {
  double timeSeconds = 0.0;
  NormalizedBox box;
};

struct FailureAnnotation {
  int id = 0;
  double startSeconds = 0.0;
  double endSeconds = 0.0;
  std::vector<BoxKeyframe> keyframes;  // sorted by time
  FailureTag tag = FailureTag::FalsePositive;
  std::string customTag;  // with FailureTag::Custom
  std::string note;
  std::string method;      // e.g. "ezvsl compact"
  std::string checkpoint;  // file, or "untrained"
  AudioCondition condition = AudioCondition::Real;

  // Sets (or replaces, within kKeyframeMergeSeconds) the box at a time; keeps keyframes sorted.
  void setKeyframe(double timeSeconds, const NormalizedBox& box);
  // Removes the keyframe nearest to timeSeconds within kKeyframeMergeSeconds; false if none.
  bool removeKeyframe(double timeSeconds);
  // The box at a time: linear between keyframes, held before the first and after the last.
  std::optional<NormalizedBox> boxAt(double timeSeconds) const;
  bool covers(double timeSeconds) const {
    return timeSeconds >= startSeconds && timeSeconds <= endSeconds;
  }
  std::string tagText() const;  // label, or the custom tag

  Json toJson() const;
  static FailureAnnotation fromJson(const Json& json);  // throws JsonError
  bool operator==(const FailureAnnotation& o) const;
};

// Two keyframes closer than this are the same keyframe (one video frame at 60 fps).
constexpr double kKeyframeMergeSeconds = 1.0 / 60.0;
// Largest annotation id a file may hold (ids count up from 1; far above any session's count).
constexpr int kMaxAnnotationId = 1 << 30;
// Largest frame side a session file may record, in pixels.
constexpr int kMaxFrameSidePx = 1 << 16;

}  // namespace heardmap
