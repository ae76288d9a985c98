// One failure case marked by a researcher: a time range of a clip, the objects in it (each a track
// of boxes or points at keyframes), a tag, a note, and which model heard which audio when it
// failed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ObjectTrack.h"
#include "core/AudioCondition.h"
#include "core/Json.h"

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

struct FailureAnnotation {
  int id = 0;
  double startSeconds = 0.0;
  double endSeconds = 0.0;
  std::vector<ObjectTrack> objects;  // by id; each its own track
  FailureTag tag = FailureTag::FalsePositive;
  std::string customTag;  // with FailureTag::Custom
  std::string note;
  std::string method;      // e.g. "ezvsl compact"
  std::string checkpoint;  // file, or "untrained"
  AudioCondition condition = AudioCondition::Real;
  // Labels imported frame by frame (COCO): boxes exist at their keyframes only, neither
  // interpolated nor held, and scoring samples those frames only.
  bool keyframesOnly = false;
  std::string importedFrom;  // the file the labels came from, if imported

  // nullptr if there is no such object.
  ObjectTrack* object(int objectId);
  const ObjectTrack* object(int objectId) const;
  // A new, empty object with the next free id.
  ObjectTrack& addObject(ObjectShape shape, const std::string& label = {});
  // Sets the object's box at a time (the object is made, as a box track, if it does not exist).
  void setKeyframe(double timeSeconds, const NormalizedBox& box, int objectId = 1);
  // Removes the object's keyframe nearest to timeSeconds (within one frame); an object left with
  // no keyframe is removed. False if there was none.
  bool removeKeyframe(double timeSeconds, int objectId = 1);
  // The object's box at a time (see ObjectTrack::boxAt).
  std::optional<NormalizedBox> boxAt(double timeSeconds, int objectId = 1) const;
  // The object's keyframes (none if there is no such object).
  const std::vector<BoxKeyframe>& keyframes(int objectId = 1) const;
  size_t keyframeCount() const;               // over all objects
  std::vector<double> keyframeTimes() const;  // over all objects, sorted, one per frame

  struct ObjectBox {
    int objectId = 1;
    ObjectShape shape = ObjectShape::Box;
    std::string label;
    NormalizedBox box;
  };
  // Every object's box (or point) at a time.
  std::vector<ObjectBox> boxesAt(double timeSeconds) const;
  bool covers(double timeSeconds) const {
    return timeSeconds >= startSeconds && timeSeconds <= endSeconds;
  }
  std::string tagText() const;  // label, or the custom tag

  Json toJson() const;
  static FailureAnnotation fromJson(const Json& json);  // throws JsonError
  bool operator==(const FailureAnnotation& o) const;
};

// Largest annotation id a file may hold (ids count up from 1; far above any session's count).
constexpr int kMaxAnnotationId = 1 << 30;
// Largest object id a file may hold (objects of one annotation count up from 1).
constexpr int kMaxObjectId = 1 << 20;
// Largest frame side a session file may record, in pixels.
constexpr int kMaxFrameSidePx = 1 << 16;

}  // namespace heardmap
