// One object of a failure annotation followed through time: its box (or point) at keyframes,
// linearly interpolated between them. An annotation holds several, one per object on screen.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace heardmap {

// A box in [0, 1] coordinates of the frame, x0 <= x1, y0 <= y1. A point has x0 == x1, y0 == y1.
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

// What an object is marked with: a box around it, or a point on it (where the sound comes from).
enum class ObjectShape { Box, Point };

std::string objectShapeName(ObjectShape shape);  // "box", "point"

struct ObjectTrack {
  int id = 1;         // within its annotation, from 1
  std::string label;  // e.g. "dog"; may be empty
  ObjectShape shape = ObjectShape::Box;
  std::vector<BoxKeyframe> keyframes;  // sorted by time; points as boxes with no extent

  // Sets (or replaces, within kKeyframeMergeSeconds) the box at a time; keeps keyframes sorted.
  void setKeyframe(double timeSeconds, const NormalizedBox& box);
  // Removes the keyframe nearest to timeSeconds within kKeyframeMergeSeconds; false if none.
  bool removeKeyframe(double timeSeconds);
  // The box at a time: linear between keyframes, held before the first and after the last. With
  // keyframesOnly (labels imported frame by frame), only at a keyframe's own time.
  std::optional<NormalizedBox> boxAt(double timeSeconds, bool keyframesOnly = false) const;
  bool operator==(const ObjectTrack& o) const;
};

// Two keyframes closer than this are the same keyframe (one video frame at 60 fps).
constexpr double kKeyframeMergeSeconds = 1.0 / 60.0;

}  // namespace heardmap
