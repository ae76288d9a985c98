#include "AudioFrontEnd.h"

namespace heardmap {

AudioFrontEnd::AudioFrontEnd(const PreprocessingContract& contract) : spectrogram_(contract) {
  if (contract.usesVggish()) {
    vggish_.emplace(contract);
  }
}

std::vector<float> AudioFrontEnd::compute(const std::vector<float>& window,
                                          std::vector<int64_t>* shape) const {
  if (vggish_) {
    int examples = 0;
    std::vector<float> values = vggish_->examples(window, &examples);
    *shape = {examples, 1, VggishLogMel::kExampleFrames, VggishLogMel::kBands};
    return values;
  }
  *shape = {1, 1, spectrogram_.frequencyBins(), spectrogram_.framesFor(window.size())};
  return spectrogram_.compute(window);
}

}  // namespace heardmap
