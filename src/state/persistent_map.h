// PersistentMap<K, V>: an immutable, structurally shared sorted map (an AVL
// tree with path copying) — the building block of the state store's tables.
// Copying a map is O(1) (one reference count), so a state snapshot is a handful
// of pointer copies; a write copies only the O(log n) nodes on its path and
// mutates in place the nodes no other copy shares (as Clojure's transients).
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <utility>

#include "core/check.h"

namespace caravan::state {

// A sorted map with value semantics whose copies share structure.
//
// Keys may be views into their value (e.g. std::string_view of alloc->id with
// V = shared_ptr<const Allocation>): a node keeps its value alive, and set()
// replaces key and value together, so the view never outlives its target.
//
// Thread safety: distinct PersistentMap objects may be read and written from
// different threads even when they share nodes (reference counts are atomic and
// shared nodes are never mutated). One object is not safe to write while another
// thread reads or copies it — as with std::map.
template <class K, class V, class Compare = std::less<>>
class PersistentMap {
  struct Node {
    Node(K k, V v) : key(std::move(k)), value(std::move(v)) {}
    Node(const Node& other)
        : height(other.height), left(other.left), right(other.right), key(other.key),
          value(other.value) {
      retain(left);
      retain(right);
    }
    ~Node() {
      release(left);
      release(right);
    }

    std::atomic<uint32_t> refs{1};
    int32_t height = 1;
    Node* left = nullptr;
    Node* right = nullptr;
    K key;
    V value;
  };

  // AVL trees with 2^32 entries are at most ~46 high.
  static constexpr size_t kMaxHeight = 64;

 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<const K&, const V&>;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = value_type;

    const_iterator() = default;

    const K& key() const { return top()->key; }
    const V& value() const { return top()->value; }
    value_type operator*() const { return {top()->key, top()->value}; }

    const_iterator& operator++() {
      const Node* n = top()->right;
      --depth_;
      push_left(n);
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(const const_iterator& other) const {
      return depth_ == other.depth_ && (depth_ == 0 || top() == other.top());
    }

   private:
    friend class PersistentMap;

    const Node* top() const {
      CARAVAN_ASSERT(depth_ > 0);
      return stack_[depth_ - 1];
    }
    void push(const Node* n) {
      CARAVAN_ASSERT(depth_ < kMaxHeight);
      stack_[depth_++] = n;
    }
    void push_left(const Node* n) {
      for (; n != nullptr; n = n->left) push(n);
    }

    std::array<const Node*, kMaxHeight> stack_{};
    size_t depth_ = 0;
  };

  PersistentMap() = default;
  PersistentMap(const PersistentMap& other) : root_(other.root_), size_(other.size_) {
    retain(root_);
  }
  PersistentMap(PersistentMap&& other) noexcept
      : root_(std::exchange(other.root_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  PersistentMap& operator=(PersistentMap other) noexcept {
    std::swap(root_, other.root_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~PersistentMap() { release(root_); }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  // The value stored under `key`, or nullptr. The pointer stays valid while this
  // map (or any copy sharing the node) is not written.
  template <class Q>
  const V* find(const Q& key) const {
    const Node* n = root_;
    while (n != nullptr) {
      if (less(key, n->key)) {
        n = n->left;
      } else if (less(n->key, key)) {
        n = n->right;
      } else {
        return &n->value;
      }
    }
    return nullptr;
  }
  template <class Q>
  bool contains(const Q& key) const {
    return find(key) != nullptr;
  }

  // Inserts or replaces (key and value both). Returns true when the key was new.
  bool set(K key, V value) {
    bool added = false;
    root_ = insert(root_, key, value, added);
    if (added) ++size_;
    return added;
  }

  // Removes `key`; returns false when it was absent (the map is then unchanged).
  template <class Q>
  bool erase(const Q& key) {
    if (!contains(key)) return false;
    root_ = remove(root_, key);
    --size_;
    return true;
  }

  // A pointer to the value under `key` that may be modified in place (the path
  // to it is copied first where shared), or nullptr when absent. Valid until the
  // next write. Do not change the parts of the value the key views into.
  template <class Q>
  V* find_mutable(const Q& key) {
    if (!contains(key)) return nullptr;
    Node** link = &root_;
    while (true) {
      Node* n = own(*link);
      *link = n;
      if (less(key, n->key)) {
        link = &n->left;
      } else if (less(n->key, key)) {
        link = &n->right;
      } else {
        return &n->value;
      }
    }
  }

  const_iterator begin() const {
    const_iterator it;
    it.push_left(root_);
    return it;
  }
  const_iterator end() const { return const_iterator(); }

  // The first entry whose key is not less than `key`.
  template <class Q>
  const_iterator lower_bound(const Q& key) const {
    const_iterator it;
    const Node* n = root_;
    while (n != nullptr) {
      if (less(n->key, key)) {
        n = n->right;  // n and its left subtree precede key: not on the iterator's stack
      } else {
        it.push(n);
        n = n->left;
      }
    }
    return it;
  }

  // Debug check of the AVL and ordering invariants (tests).
  bool check_invariants_for_test() const {
    size_t count = 0;
    return check(root_, nullptr, nullptr, count) >= 0 && count == size_;
  }

 private:
  static void retain(Node* n) {
    if (n != nullptr) n->refs.fetch_add(1, std::memory_order_relaxed);
  }
  static void release(Node* n) {
    if (n != nullptr && n->refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete n;
  }
  // Takes over one reference to `n` and returns a node the caller may mutate:
  // `n` itself when that reference is the only one, else a copy.
  static Node* own(Node* n) {
    if (n->refs.load(std::memory_order_acquire) == 1) return n;
    Node* copy = new Node(*n);
    release(n);
    return copy;
  }

  template <class A, class B>
  static bool less(const A& a, const B& b) {
    return Compare()(a, b);
  }

  static int32_t height(const Node* n) { return n == nullptr ? 0 : n->height; }
  static void update_height(Node* n) { n->height = 1 + std::max(height(n->left), height(n->right)); }

  // Rotations take an owned node and return the owned new subtree root.
  static Node* rotate_right(Node* n) {
    Node* l = own(n->left);
    n->left = l->right;
    l->right = n;
    update_height(n);
    update_height(l);
    return l;
  }
  static Node* rotate_left(Node* n) {
    Node* r = own(n->right);
    n->right = r->left;
    r->left = n;
    update_height(n);
    update_height(r);
    return r;
  }
  static Node* rebalance(Node* n) {
    update_height(n);
    int32_t balance = height(n->left) - height(n->right);
    if (balance > 1) {
      if (height(n->left->left) < height(n->left->right)) {
        n->left = rotate_left(own(n->left));
      }
      return rotate_right(n);
    }
    if (balance < -1) {
      if (height(n->right->right) < height(n->right->left)) {
        n->right = rotate_right(own(n->right));
      }
      return rotate_left(n);
    }
    return n;
  }

  // Each takes over the reference `n` and returns the owned new subtree.
  static Node* insert(Node* n, K& key, V& value, bool& added) {
    if (n == nullptr) {
      added = true;
      return new Node(std::move(key), std::move(value));
    }
    n = own(n);
    if (less(key, n->key)) {
      n->left = insert(n->left, key, value, added);
    } else if (less(n->key, key)) {
      n->right = insert(n->right, key, value, added);
    } else {
      // Value first: the old key may view into the old value.
      n->value = std::move(value);
      n->key = std::move(key);
      return n;
    }
    return rebalance(n);
  }

  // Detaches the leftmost node of `n` into `min` (owned by the caller).
  static Node* remove_min(Node* n, Node*& min) {
    n = own(n);
    if (n->left == nullptr) {
      Node* right = n->right;
      n->right = nullptr;
      min = n;
      return right;
    }
    n->left = remove_min(n->left, min);
    return rebalance(n);
  }

  template <class Q>
  static Node* remove(Node* n, const Q& key) {
    n = own(n);
    if (less(key, n->key)) {
      n->left = remove(n->left, key);
      return rebalance(n);
    }
    if (less(n->key, key)) {
      n->right = remove(n->right, key);
      return rebalance(n);
    }
    Node* left = std::exchange(n->left, nullptr);
    Node* right = std::exchange(n->right, nullptr);
    release(n);
    if (right == nullptr) return left;
    Node* min = nullptr;
    right = remove_min(right, min);
    min->left = left;
    min->right = right;
    return rebalance(min);
  }

  // Returns the height, or -1 when an invariant is broken.
  static int32_t check(const Node* n, const K* lo, const K* hi, size_t& count) {
    if (n == nullptr) return 0;
    ++count;
    if ((lo != nullptr && !less(*lo, n->key)) || (hi != nullptr && !less(n->key, *hi))) return -1;
    int32_t l = check(n->left, lo, &n->key, count);
    int32_t r = check(n->right, &n->key, hi, count);
    if (l < 0 || r < 0 || l - r > 1 || r - l > 1 || n->height != 1 + std::max(l, r)) return -1;
    return n->height;
  }

  Node* root_ = nullptr;
  size_t size_ = 0;
};

}  // namespace caravan::state
