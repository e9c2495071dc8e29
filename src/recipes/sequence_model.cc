#include "recipes/sequence_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "recipes/model_codec.h"
#include "recipes/vector_math.h"

namespace kindred {
namespace {

constexpr std::string_view kMagic = "KSEQ";
constexpr uint32_t kVersion = 2;
constexpr uint32_t kMaxDimension = 1u << 12;

void WriteTable(const ParameterTable& t, ByteWriter* w) {
  w->U32(static_cast<uint32_t>(t.cols));
  w->U32(static_cast<uint32_t>(t.rows()));
  for (float v : t.values) w->F32(v);
  for (float v : t.squares) w->F32(v);
}

// Reads a table of `cols` floats per row and `rows` rows (kAnyRows: any positive number).
constexpr size_t kAnyRows = static_cast<size_t>(-1);
bool ReadTable(ByteReader* r, size_t rows, int cols, ParameterTable* t) {
  uint32_t got_cols = 0, got_rows = 0;
  // Count checks that the bytes left hold the rows before anything is allocated.
  if (!r->U32(&got_cols) || got_cols != static_cast<uint32_t>(cols) ||
      !r->Count(&got_rows, 4 * (static_cast<size_t>(cols) + 1)) ||
      (rows == kAnyRows ? got_rows == 0 : got_rows != rows)) {
    return false;
  }
  *t = ParameterTable(got_rows, cols);
  for (float& v : t->values) {
    if (!r->F32(&v)) return false;
  }
  for (float& v : t->squares) {
    if (!r->F32(&v)) return false;
  }
  return true;
}

}  // namespace

void Represent(const SequenceParameters& p, std::span<const int32_t> tokens, int32_t item,
               float* into) {
  std::copy_n(p.items.Row(item), p.dimension, into);
  for (int32_t f : tokens) AddScaled(p.features.Row(f), 1.0f / tokens.size(), into, p.dimension);
}

SequenceCatalogue SequenceCatalogue::Of(const TrainingData& data) {
  return {data.items.names(), data.features.names(), data.item_features};
}

void ComputeState(const SequenceParameters& p, std::span<const int32_t> history, int32_t num_items,
                  const std::function<void(int32_t item, float* into)>& represent,
                  SequenceState* out) {
  const int d = p.dimension;
  out->context.clear();
  for (auto it = history.rbegin();
       it != history.rend() && out->context.size() < static_cast<size_t>(p.bptt()); ++it) {
    if (*it >= 0 && *it < num_items) out->context.push_back(*it);
  }
  const int n = static_cast<int>(out->context.size());
  out->inputs.resize(static_cast<size_t>(n) * d);
  for (int k = 0; k < n; ++k) represent(out->context[k], out->inputs.data() + k * d);

  out->attention.assign(n, n > 0 ? 1.0f / n : 0.0f);
  out->query.assign(d, 0.0f);
  if (p.recency_mask && n > 0) {
    for (int r = 0; r < d; ++r) out->query[r] = Dot(p.query.Row(r), out->inputs.data(), d);
    const float scale = 1.0f / std::sqrt(static_cast<float>(d));
    float max_logit = -std::numeric_limits<float>::infinity();
    for (int k = 0; k < n; ++k) {
      out->attention[k] =
          Dot(out->query.data(), out->inputs.data() + k * d, d) * scale + p.positions.Row(k)[0];
      max_logit = std::max(max_logit, out->attention[k]);
    }
    float sum = 0;
    for (float& a : out->attention) sum += (a = std::exp(a - max_logit));
    for (float& a : out->attention) a /= sum;
  }
  out->state.assign(d, 0.0f);
  for (int k = 0; k < n; ++k) {
    AddScaled(out->inputs.data() + k * d, out->attention[k], out->state.data(), d);
  }
}

SequenceModel::SequenceModel(SequenceCatalogue catalogue, SequenceParameters parameters,
                             int64_t trained_until)
    : catalogue_(std::move(catalogue)), p_(std::move(parameters)), trained_until_(trained_until) {
  const int d = p_.dimension;
  const size_t n = catalogue_.item_ids.size();
  blocks_.assign((n + kLanes - 1) / kLanes * kLanes * d, 0.0f);
  rows_.resize(n * d);
  for (size_t j = 0; j < n; ++j) {
    float* row = rows_.data() + j * d;
    Represent(p_, catalogue_.item_features[j], static_cast<int32_t>(j), row);
    float* block = blocks_.data() + j / kLanes * kLanes * d + j % kLanes;
    for (int i = 0; i < d; ++i) block[i * kLanes] = row[i];
  }
  for (size_t f = 0; f < catalogue_.features.size(); ++f) {
    feature_index_.emplace(catalogue_.features[f], static_cast<int32_t>(f));
  }
}

void SequenceModel::State(const ModelQuery& query, SequenceState* state) const {
  ComputeState(
      p_, query.history, static_cast<int32_t>(item_ids().size()),
      [&](int32_t item, float* into) {
        ItemVector(item, {into, static_cast<size_t>(p_.dimension)});
      },
      state);
}

Status SequenceModel::QueryVector(const ModelQuery& query, std::span<float> out) const {
  SequenceState state;
  State(query, &state);
  std::copy(state.state.begin(), state.state.end(), out.begin());
  return Status::Ok();
}

void SequenceModel::ItemVector(int32_t j, std::span<float> out) const {
  const float* v = rows_.data() + static_cast<size_t>(j) * p_.dimension;
  std::copy(v, v + p_.dimension, out.begin());
}

void SequenceModel::ScoreItems(std::span<const float> query_vector, std::span<const int32_t> items,
                               std::span<float> out) const {
  // ExactScore's operations, reading the vector in place.
  for (size_t k = 0; k < items.size(); ++k) {
    const float* v = rows_.data() + static_cast<size_t>(items[k]) * p_.dimension;
    float sum = 0;
    for (int i = 0; i < p_.dimension; ++i) sum += query_vector[i] * v[i];
    out[k] = sum + p_.bias.values[items[k]];
  }
}

void SequenceModel::UnseenItemVector(std::span<const std::string> tokens, std::span<float> out,
                                     float* bias) const {
  std::vector<int32_t> known;
  for (const std::string& token : tokens) {
    auto it = feature_index_.find(token);
    if (it != feature_index_.end() &&
        std::find(known.begin(), known.end(), it->second) == known.end()) {
      known.push_back(it->second);
    }
  }
  std::fill(out.begin(), out.end(), 0.0f);
  for (int32_t f : known) {
    AddScaled(p_.features.Row(f), 1.0f / known.size(), out.data(), p_.dimension);
  }
  *bias = p_.cold_bias;
}

Status SequenceModel::Score(const ModelQuery& query, std::vector<float>* scores) const {
  SequenceState state;
  State(query, &state);
  const int d = p_.dimension;
  const size_t n = item_ids().size();
  const float* s = state.state.data();
  scores->resize(n);
  // kLanes items at a time: their vectors are interleaved, so each state value multiplies a
  // contiguous row of kLanes floats. Each lane performs ExactScore's operations.
  for (size_t first = 0; first < n; first += kLanes) {
    const float* block = blocks_.data() + first * d;
    float lanes[kLanes] = {};
    for (int i = 0; i < d; ++i) {
      for (int l = 0; l < kLanes; ++l) lanes[l] += s[i] * block[i * kLanes + l];
    }
    for (size_t l = 0; l < kLanes && first + l < n; ++l) {
      (*scores)[first + l] = lanes[l] + p_.bias.values[first + l];
    }
  }
  return Status::Ok();
}

Status SequenceModel::ScoreUnseen(const ModelQuery& query,
                                  std::span<const std::vector<std::string>> items,
                                  std::vector<float>* scores) const {
  SequenceState state;
  State(query, &state);
  std::vector<float> vector(p_.dimension);
  scores->resize(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    float bias = 0;
    UnseenItemVector(items[i], vector, &bias);
    (*scores)[i] = ExactScore(state.state, vector.data(), bias);
  }
  return Status::Ok();
}

std::string SequenceModel::Serialize() const {
  ByteWriter w;
  w.Raw(kMagic);
  w.U32(kVersion);
  w.Strings(catalogue_.item_ids);
  w.Strings(catalogue_.features);
  for (const std::vector<int32_t>& tokens : catalogue_.item_features) {
    w.U32(static_cast<uint32_t>(tokens.size()));
    for (int32_t f : tokens) w.U32(static_cast<uint32_t>(f));
  }
  w.U32(static_cast<uint32_t>(p_.dimension));
  w.U32(p_.recency_mask ? 1 : 0);
  w.U64(static_cast<uint64_t>(trained_until_));
  w.F32(p_.cold_bias);
  for (const ParameterTable* t : {&p_.items, &p_.features, &p_.bias, &p_.positions, &p_.query}) {
    WriteTable(*t, &w);
  }
  return std::move(w).Take();
}

Result<std::unique_ptr<SequenceModel>> SequenceModel::Load(std::string_view bytes,
                                                           const std::string& recipe) {
  ByteReader r(bytes);
  uint32_t version = 0;
  SequenceCatalogue c;
  if (!r.Expect(kMagic) || !r.U32(&version) || version != kVersion) {
    return Status::Corruption("not an " + recipe + " model (KSEQ version 2)");
  }
  const Status corrupt = Status::Corruption(recipe + " model is truncated or corrupt");
  if (!r.Strings(&c.item_ids) || !r.Strings(&c.features)) return corrupt;
  const size_t n = c.item_ids.size(), f = c.features.size();
  c.item_features.resize(n);
  for (std::vector<int32_t>& tokens : c.item_features) {
    uint32_t count = 0;
    if (!r.Count(&count, 4)) return corrupt;
    for (uint32_t k = 0; k < count; ++k) {
      uint32_t token = 0;
      if (!r.U32(&token) || token >= f) return corrupt;
      tokens.push_back(static_cast<int32_t>(token));
    }
  }
  SequenceParameters p;
  uint32_t dimension = 0, recency = 0;
  uint64_t trained_until = 0;
  if (!r.U32(&dimension) || dimension == 0 || dimension > kMaxDimension || !r.U32(&recency) ||
      recency > 1 || !r.U64(&trained_until) || !r.F32(&p.cold_bias)) {
    return corrupt;
  }
  p.dimension = static_cast<int>(dimension);
  p.recency_mask = recency == 1;
  const int d = p.dimension;
  if (!ReadTable(&r, n, d, &p.items) || !ReadTable(&r, f, d, &p.features) ||
      !ReadTable(&r, n, 1, &p.bias) || !ReadTable(&r, kAnyRows, 1, &p.positions) ||
      !ReadTable(&r, d, d, &p.query)) {
    return corrupt;
  }
  if (!r.done()) return Status::Corruption(recipe + " model has trailing bytes");
  return std::make_unique<SequenceModel>(std::move(c), std::move(p),
                                         static_cast<int64_t>(trained_until));
}

}  // namespace kindred
