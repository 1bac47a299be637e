// Fuzz target for the ingress's HTTP/1.1 codec: request and response heads fed
// whole and in two pieces (the results must agree), then the rest as a chunked
// body. Invariants: no crash, head_size within the input, views inside it.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "proxy/http1_codec.h"

using caravan::proxy::http1::ChunkedDecoder;
using caravan::proxy::http1::Head;
using caravan::proxy::http1::HeadParser;
using caravan::proxy::http1::Limits;
using caravan::proxy::http1::ParseResult;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  Limits limits{4096, 50};
  HeadParser whole(limits);
  Head head;
  ParseResult r = whole.parse_request(in, head);
  if (r == ParseResult::kDone) {
    if (head.head_size > in.size()) std::abort();
    for (const auto& f : head.fields) {
      if (f.name.data() < in.data() || f.name.data() + f.name.size() > in.data() + in.size()) std::abort();
    }
    // The same input in two pieces gives the same answer.
    HeadParser split(limits);
    Head head2;
    size_t cut = size / 2;
    ParseResult r1 = split.parse_request(in.substr(0, cut), head2);
    if (r1 == ParseResult::kNeedMore) {
      ParseResult r2 = split.parse_request(in, head2);
      if (r2 != r || head2.head_size != head.head_size) std::abort();
    }
    // The rest as a chunked body.
    ChunkedDecoder d;
    size_t off = head.head_size;
    while (off < size && d.state() == ChunkedDecoder::State::kRunning) {
      bool is_data;
      size_t n = d.feed(in.data() + off, size - off, &is_data);
      if (n == 0) break;
      off += n;
      if (off > size) std::abort();
    }
  }
  HeadParser resp(limits);
  Head rh;
  if (resp.parse_response(in, "GET", rh) == ParseResult::kDone && rh.head_size > in.size()) std::abort();
  return 0;
}
