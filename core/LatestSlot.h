// A one-item mailbox between two threads: put() overwrites whatever was not yet taken (latest
// wins) and counts the overwritten items as dropped. Not for audio callbacks (it locks).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>

namespace heardmap {

template <typename T>
class LatestSlot {
 public:
  // Stores value, replacing an untaken one. Returns true when an older value was dropped.
  bool put(T value) {
    bool dropped = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      dropped = value_.has_value();
      if (dropped) {
        ++droppedCount_;
      }
      value_ = std::move(value);
    }
    ready_.notify_one();
    return dropped;
  }

  // Takes the value if there is one.
  std::optional<T> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::optional<T> out = std::move(value_);
    value_.reset();
    return out;
  }

  // Waits until a value arrives or close() is called; empty after close().
  std::optional<T> waitAndTake() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return value_.has_value() || closed_; });
    std::optional<T> out = std::move(value_);
    value_.reset();
    return out;
  }

  // Wakes every waiter for good.
  void close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

  uint64_t droppedCount() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return droppedCount_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::optional<T> value_;
  bool closed_ = false;
  uint64_t droppedCount_ = 0;
};

}  // namespace heardmap
