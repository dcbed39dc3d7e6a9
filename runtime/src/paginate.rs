//! Paginators: the pages of a listing as an async stream, and its items as another.
//!
//! The generated code supplies a `fetch` closure (send one page request) and an `inspect`
//! function (what a page says about the listing, as a [`PageInfo`]); where the next page starts
//! and when the listing ends is decided here, once, for every operation. Both types implement
//! [`futures_core::Stream`] and also offer an inherent `next()`, so callers need no stream
//! utilities.
//!
//! # When a listing ends
//!
//! The end follows each style's own rule, never "the page was empty":
//!
//! - **`NextToken` style**: the listing ends when a response carries no `NextToken` or an empty
//!   one. A page without items that carries a token is not the end: the next page is fetched.
//! - **`PageNumber` style**: the listing ends after page `n` when `n × PageSize ≥ TotalCount`.
//!   `PageSize` is the one the response reports, else the one the request set; when neither is
//!   known, the listing ends once the items seen reach `TotalCount` (a listing started after
//!   page 1, whose earlier items were not seen, also ends at its first page without items).
//!   When the response carries no
//!   `TotalCount`, the listing ends at the first page with fewer items than `PageSize` (or, with
//!   the size unknown, at the first page without items).
//!
//! # When the service does not advance
//!
//! A paginator never requests a page it has already requested and never runs on without
//! progress. When the service makes that impossible, the page that showed it is yielded as usual
//! and then the stream ends with a [`PaginationError`] as its last item (converted into
//! [`SdkError::Pagination`](crate::SdkError::Pagination) for generated operations), whose
//! [`kind`](PaginationError::kind) says what happened:
//!
//! - [`RepeatedToken`](PaginationErrorKind::RepeatedToken): a `NextToken` that was already
//!   requested came back (`A, A`, or a cycle such as `A, B, A`);
//! - [`PageNumberMismatch`](PaginationErrorKind::PageNumberMismatch): a response reports a page
//!   number other than the one requested, so the service served some other page again;
//! - [`EmptyPages`](PaginationErrorKind::EmptyPages): pages without items while the listing says
//!   more exist: a `PageNumber` page inside `TotalCount`, or more than
//!   [`Pages::with_max_empty_pages`] `NextToken` pages in a row (16 by default);
//! - [`PageNumberOverflow`](PaginationErrorKind::PageNumberOverflow): the counters ask for a page
//!   number beyond [`MAX_PAGE_NUMBER`].
//!
//! Tokens are remembered as 64-bit hashes (keyed per paginator), the last
//! [`TOKEN_WINDOW`] of them exactly; a longer cycle is still caught by a constant-memory cycle
//! check (Brent's), after at most about two turns of the cycle.

use futures_core::Stream;
use std::collections::hash_map::RandomState;
use std::collections::{HashSet, VecDeque};
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::hash::BuildHasher;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The highest page number a paginator requests: the paging parameters are 32-bit integers.
pub const MAX_PAGE_NUMBER: i64 = i32::MAX as i64;

/// How many of the most recent `NextToken`s a paginator remembers exactly.
pub const TOKEN_WINDOW: usize = 4096;

/// Default for [`Pages::with_max_empty_pages`].
pub const DEFAULT_MAX_EMPTY_PAGES: u32 = 16;

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// `PageNumber` style, from 1.
    Page(i64),
    /// `NextToken` style; `None` for the first page.
    Token(Option<String>),
}

/// What one page says about the listing, read from an operation's output by the generated code.
///
/// Build it with [`PageInfo::next_token`] or [`PageInfo::page_number`], then the `with_*`
/// methods. Fields the response lacks stay `None`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PageInfo<'a> {
    items: usize,
    next_token: Option<&'a str>,
    page_number: Option<i64>,
    page_size: Option<i64>,
    total_count: Option<i64>,
    request_id: Option<&'a str>,
}

impl<'a> PageInfo<'a> {
    /// A `NextToken`-style page with `items` items and the `NextToken` it returned.
    pub fn next_token(items: usize, next_token: Option<&'a str>) -> Self {
        PageInfo {
            items,
            next_token,
            ..PageInfo::default()
        }
    }

    /// A `PageNumber`-style page with `items` items and the `TotalCount` it returned.
    pub fn page_number(items: usize, total_count: Option<i64>) -> Self {
        PageInfo {
            items,
            total_count,
            ..PageInfo::default()
        }
    }

    /// The `PageNumber` the response reports.
    pub fn with_page_number(mut self, page_number: Option<i64>) -> Self {
        self.page_number = page_number;
        self
    }

    /// The `PageSize` the response reports.
    pub fn with_page_size(mut self, page_size: Option<i64>) -> Self {
        self.page_size = page_size;
        self
    }

    /// The response's request ID, kept in a [`PaginationError`] this page causes.
    pub fn with_request_id(mut self, request_id: Option<&'a str>) -> Self {
        self.request_id = request_id.filter(|id| !id.is_empty());
        self
    }
}

/// Why a listing stopped without reaching its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PaginationErrorKind {
    /// The service returned a `NextToken` that had already been requested (the same token
    /// again, or a cycle such as `A, B, A`): following it would fetch the same pages forever.
    RepeatedToken,
    /// A response reports a page number other than the one requested: the service served some
    /// other page (typically the same one again) instead of advancing.
    PageNumberMismatch {
        /// The page number the paginator asked for.
        requested: i64,
        /// The page number the response reports.
        returned: i64,
    },
    /// Pages came back without items while the listing says more exist: `count` `NextToken`
    /// pages in a row beyond the paginator's limit, or (`count` = 1) a `PageNumber` page inside
    /// the `TotalCount`.
    EmptyPages {
        /// Consecutive pages without items.
        count: u32,
    },
    /// The counters ask for a page beyond [`MAX_PAGE_NUMBER`].
    PageNumberOverflow,
}

/// The service did not advance a listing: see the [module documentation](self) for when this
/// happens. It is the last item a paginator yields; the pages before it are valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaginationError {
    kind: PaginationErrorKind,
    pages: u64,
    request_id: Option<String>,
}

impl PaginationError {
    /// An error of `kind`, after `pages` pages were received.
    pub fn new(kind: PaginationErrorKind, pages: u64) -> Self {
        PaginationError {
            kind,
            pages,
            request_id: None,
        }
    }

    /// Attaches the request ID of the response that showed the problem. It is the server's
    /// text, read from a decoded page: kept to [`MAX_ID_CHARS`](crate::redact::MAX_ID_CHARS)
    /// like every identifier an error holds.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(
            crate::redact::Redactor::default()
                .redact_bounded(request_id.into(), crate::redact::MAX_ID_CHARS),
        );
        self
    }

    /// What happened.
    pub fn kind(&self) -> PaginationErrorKind {
        self.kind
    }

    /// How many pages were received, the last one included.
    pub fn pages(&self) -> u64 {
        self.pages
    }

    /// The request ID of the response that showed the problem, if it had one.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the service did not advance the listing after {} page(s): ",
            self.pages
        )?;
        match self.kind {
            PaginationErrorKind::RepeatedToken => {
                f.write_str("it returned a NextToken that was already requested")?
            }
            PaginationErrorKind::PageNumberMismatch {
                requested,
                returned,
            } => write!(
                f,
                "page {requested} was requested but page {returned} returned"
            )?,
            PaginationErrorKind::EmptyPages { count } => write!(
                f,
                "{count} page(s) in a row had no items although more were announced"
            )?,
            PaginationErrorKind::PageNumberOverflow => {
                write!(f, "the next page number would exceed {MAX_PAGE_NUMBER}")?
            }
        }
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId: {id})")?;
        }
        Ok(())
    }
}

impl StdError for PaginationError {}

/// The `NextToken`s a paginator has requested, in bounded memory.
struct SeenTokens {
    keys: RandomState,
    recent: HashSet<u64>,
    order: VecDeque<u64>,
    /// Brent's cycle check, for cycles longer than the window: a checkpoint token moved to the
    /// current one whenever `steps` reaches `span`, with `span` doubling each time.
    checkpoint: Option<u64>,
    steps: u64,
    span: u64,
}

impl SeenTokens {
    fn new() -> Self {
        SeenTokens {
            keys: RandomState::new(),
            recent: HashSet::new(),
            order: VecDeque::new(),
            checkpoint: None,
            steps: 0,
            span: 1,
        }
    }

    /// Records `token`; false when it was requested before.
    fn insert(&mut self, token: &str) -> bool {
        let hash = self.keys.hash_one(token);
        if self.recent.contains(&hash) || self.checkpoint == Some(hash) {
            return false;
        }
        self.steps += 1;
        if self.steps >= self.span {
            self.checkpoint = Some(hash);
            self.steps = 0;
            self.span = self.span.saturating_mul(2);
        }
        if self.order.len() == TOKEN_WINDOW {
            if let Some(oldest) = self.order.pop_front() {
                self.recent.remove(&oldest);
            }
        }
        self.recent.insert(hash);
        self.order.push_back(hash);
        true
    }
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type Fetch<P, E> = Box<dyn FnMut(Cursor) -> BoxFuture<Result<P, E>> + Send>;

enum State<P, E> {
    Ready(Cursor),
    InFlight(Cursor, BoxFuture<Result<P, E>>),
    /// The listing cannot go on: yield this, then end.
    Failed(PaginationError),
    Done,
}

/// The pages of a listing, fetched one at a time as they are consumed.
///
/// Yields `Ok(page)` for every page, then ends. An error from a request ends the stream after
/// being yielded; so does a [`PaginationError`] when the service does not advance.
pub struct Pages<P, E> {
    fetch: Fetch<P, E>,
    inspect: for<'a> fn(&'a P) -> PageInfo<'a>,
    state: State<P, E>,
    /// The page size the requests ask for, when set.
    requested_page_size: Option<i64>,
    /// The page a `PageNumber` listing started at: from a later page than 1, the items seen do
    /// not count the pages before it.
    first_page: Option<i64>,
    max_empty_pages: u32,
    pages: u64,
    items_seen: u64,
    empty_in_a_row: u32,
    tokens: SeenTokens,
}

impl<P, E> fmt::Debug for Pages<P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready(c) => format!("ready at {}", describe(c)),
            State::InFlight(c, _) => format!("fetching {}", describe(c)),
            State::Failed(e) => format!("failed: {e}"),
            State::Done => "done".to_owned(),
        };
        f.debug_struct("Pages")
            .field("state", &state)
            .field("pages", &self.pages)
            .field("items_seen", &self.items_seen)
            .finish()
    }
}

/// A cursor for `Debug`, without the token itself (it can be long).
fn describe(cursor: &Cursor) -> String {
    match cursor {
        Cursor::Page(n) => format!("page {n}"),
        Cursor::Token(None) => "the first page".to_owned(),
        Cursor::Token(Some(t)) => format!("a token of {} bytes", t.len()),
    }
}

impl<P: Send + 'static, E: From<PaginationError> + Send + 'static> Pages<P, E> {
    /// A paginator starting at `start`: `fetch` requests the page at a cursor, `inspect` reads
    /// what a page says about the listing.
    pub fn new<F, Fut>(
        start: Cursor,
        mut fetch: F,
        inspect: for<'a> fn(&'a P) -> PageInfo<'a>,
    ) -> Self
    where
        F: FnMut(Cursor) -> Fut + Send + 'static,
        Fut: Future<Output = Result<P, E>> + Send + 'static,
    {
        let mut tokens = SeenTokens::new();
        if let Cursor::Token(Some(token)) = &start {
            tokens.insert(token);
        }
        let first_page = match &start {
            Cursor::Page(n) => Some(*n),
            Cursor::Token(_) => None,
        };
        Pages {
            fetch: Box::new(move |c| Box::pin(fetch(c))),
            inspect,
            state: State::Ready(start),
            requested_page_size: None,
            first_page,
            max_empty_pages: DEFAULT_MAX_EMPTY_PAGES,
            pages: 0,
            items_seen: 0,
            empty_in_a_row: 0,
            tokens,
        }
    }

    /// The page size the requests ask for (`PageSize`), used to find the end of a `PageNumber`
    /// listing when the responses do not report it. Values below 1 are ignored.
    pub fn with_page_size(mut self, page_size: Option<i64>) -> Self {
        self.requested_page_size = page_size.filter(|s| *s > 0);
        self
    }

    /// How many `NextToken` pages without items may follow each other before the paginator
    /// ends with [`PaginationErrorKind::EmptyPages`] (default [`DEFAULT_MAX_EMPTY_PAGES`]).
    pub fn with_max_empty_pages(mut self, max_empty_pages: u32) -> Self {
        self.max_empty_pages = max_empty_pages;
        self
    }

    /// The next page, or `None` after the last one (or after an error).
    pub async fn next(&mut self) -> Option<Result<P, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Every item of every page, using `items` to take a page apart.
    pub fn items<I: Send + 'static>(self, items: fn(P) -> Vec<I>) -> Items<P, I, E> {
        Items {
            pages: self,
            split: items,
            buffer: VecDeque::new(),
        }
    }

    /// Collects every page; stops at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<P>, E> {
        let mut out = Vec::new();
        while let Some(page) = self.next().await {
            out.push(page?);
        }
        Ok(out)
    }
}

impl<P, E> Pages<P, E> {
    /// Where the listing goes after `info`, the page at `cursor`: `Ok(None)` at the end.
    fn advance(
        &mut self,
        cursor: &Cursor,
        info: &PageInfo<'_>,
    ) -> Result<Option<Cursor>, PaginationErrorKind> {
        match cursor {
            Cursor::Token(_) => self.advance_token(info),
            Cursor::Page(page) => self.advance_page(*page, info),
        }
    }

    fn advance_token(
        &mut self,
        info: &PageInfo<'_>,
    ) -> Result<Option<Cursor>, PaginationErrorKind> {
        let Some(token) = info.next_token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if !self.tokens.insert(token) {
            return Err(PaginationErrorKind::RepeatedToken);
        }
        if info.items == 0 {
            self.empty_in_a_row = self.empty_in_a_row.saturating_add(1);
            if self.empty_in_a_row > self.max_empty_pages {
                return Err(PaginationErrorKind::EmptyPages {
                    count: self.empty_in_a_row,
                });
            }
        } else {
            self.empty_in_a_row = 0;
        }
        Ok(Some(Cursor::Token(Some(token.to_owned()))))
    }

    fn advance_page(
        &mut self,
        page: i64,
        info: &PageInfo<'_>,
    ) -> Result<Option<Cursor>, PaginationErrorKind> {
        // Zero is what a service that does not fill the field sends: no claim either way.
        if let Some(returned) = info.page_number.filter(|n| *n != 0) {
            if returned != page {
                return Err(PaginationErrorKind::PageNumberMismatch {
                    requested: page,
                    returned,
                });
            }
        }
        let page_size = info
            .page_size
            .filter(|s| *s > 0)
            .or(self.requested_page_size);
        let more = match (info.total_count, page_size) {
            // Widened so that no counter can overflow into "more".
            (Some(total), Some(size)) => i128::from(page) * i128::from(size) < i128::from(total),
            // Counted from page 1, the items seen place the listing; from a later start they
            // are only a lower bound, so an empty page there is the end, not a stall.
            (Some(total), None) if self.first_page.is_some_and(|first| first > 1) => {
                info.items > 0 && i128::from(self.items_seen) < i128::from(total)
            }
            (Some(total), None) => i128::from(self.items_seen) < i128::from(total),
            (None, Some(size)) => i64::try_from(info.items).is_ok_and(|n| n >= size),
            (None, None) => info.items > 0,
        };
        if !more {
            return Ok(None);
        }
        if info.items == 0 {
            // The service's own counters say this page should have had items.
            return Err(PaginationErrorKind::EmptyPages { count: 1 });
        }
        match page.checked_add(1) {
            Some(next) if next <= MAX_PAGE_NUMBER => Ok(Some(Cursor::Page(next))),
            _ => Err(PaginationErrorKind::PageNumberOverflow),
        }
    }
}

impl<P, E: From<PaginationError>> Stream for Pages<P, E> {
    type Item = Result<P, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Failed(e) => return Poll::Ready(Some(Err(E::from(e)))),
                State::Ready(cursor) => {
                    let fut = (this.fetch)(cursor.clone());
                    this.state = State::InFlight(cursor, fut);
                }
                State::InFlight(cursor, mut fut) => match fut.as_mut().poll(cx) {
                    Poll::Pending => {
                        this.state = State::InFlight(cursor, fut);
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(e)) => return Poll::Ready(Some(Err(e))),
                    Poll::Ready(Ok(page)) => {
                        let info = (this.inspect)(&page);
                        this.pages += 1;
                        this.items_seen = this.items_seen.saturating_add(info.items as u64);
                        this.state = match this.advance(&cursor, &info) {
                            Ok(Some(next)) => State::Ready(next),
                            Ok(None) => State::Done,
                            Err(kind) => {
                                let mut error = PaginationError::new(kind, this.pages);
                                if let Some(id) = info.request_id {
                                    error = error.with_request_id(id);
                                }
                                State::Failed(error)
                            }
                        };
                        return Poll::Ready(Some(Ok(page)));
                    }
                },
            }
        }
    }
}

/// The items of a listing, across pages.
pub struct Items<P, I, E> {
    pages: Pages<P, E>,
    split: fn(P) -> Vec<I>,
    buffer: VecDeque<I>,
}

impl<P, I, E> fmt::Debug for Items<P, I, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl<P: Send + 'static, I: Send + 'static, E: From<PaginationError> + Send + 'static>
    Items<P, I, E>
{
    /// The next item, or `None` at the end (or after an error).
    pub async fn next(&mut self) -> Option<Result<I, E>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Collects every item; stops at the first error.
    pub async fn try_collect(mut self) -> Result<Vec<I>, E> {
        let mut out = Vec::new();
        while let Some(item) = self.next().await {
            out.push(item?);
        }
        Ok(out)
    }
}

impl<P, I, E> Unpin for Items<P, I, E> {}

impl<P, I, E: From<PaginationError>> Stream for Items<P, I, E> {
    type Item = Result<I, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => this.buffer.extend((this.split)(page)),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // Tests: a panic is the failure report.
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A page as a fake service returns it.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct Page {
        items: Vec<u32>,
        next_token: Option<String>,
        page_number: Option<i64>,
        page_size: Option<i64>,
        total_count: Option<i64>,
    }

    #[derive(Debug, PartialEq)]
    enum TestError {
        Service(&'static str),
        Pagination(PaginationErrorKind),
    }

    impl From<PaginationError> for TestError {
        fn from(e: PaginationError) -> Self {
            TestError::Pagination(e.kind())
        }
    }

    fn token_page(items: &[u32], next: Option<&str>) -> Page {
        Page {
            items: items.to_vec(),
            next_token: next.map(str::to_owned),
            ..Page::default()
        }
    }

    fn numbered(items: &[u32], number: i64, size: Option<i64>, total: Option<i64>) -> Page {
        Page {
            items: items.to_vec(),
            page_number: Some(number),
            page_size: size,
            total_count: total,
            ..Page::default()
        }
    }

    fn inspect_token(p: &Page) -> PageInfo<'_> {
        PageInfo::next_token(p.items.len(), p.next_token.as_deref()).with_request_id(Some("R"))
    }

    fn inspect_number(p: &Page) -> PageInfo<'_> {
        PageInfo::page_number(p.items.len(), p.total_count)
            .with_page_number(p.page_number)
            .with_page_size(p.page_size)
    }

    /// A service that answers with `respond(cursor, n)` for the n-th request (from 0), and
    /// records the cursors requested.
    struct Fake {
        cursors: Arc<Mutex<Vec<Cursor>>>,
    }

    impl Fake {
        fn pages(
            start: Cursor,
            inspect: for<'a> fn(&'a Page) -> PageInfo<'a>,
            respond: impl Fn(&Cursor, usize) -> Result<Page, &'static str> + Send + Sync + 'static,
        ) -> (Fake, Pages<Page, TestError>) {
            let cursors = Arc::new(Mutex::new(Vec::new()));
            let seen = cursors.clone();
            let respond = Arc::new(respond);
            let pages = Pages::new(
                start,
                move |c: Cursor| {
                    let n = {
                        let mut seen = seen.lock().unwrap();
                        seen.push(c.clone());
                        seen.len() - 1
                    };
                    let out = respond(&c, n).map_err(TestError::Service);
                    async move { out }
                },
                inspect,
            );
            (Fake { cursors }, pages)
        }

        fn requests(&self) -> Vec<Cursor> {
            self.cursors.lock().unwrap().clone()
        }

        /// A `NextToken` service answering the listed pages in order, then failing.
        fn script(pages: Vec<Page>) -> (Fake, Pages<Page, TestError>) {
            Fake::pages(Cursor::Token(None), inspect_token, move |_, n| {
                pages.get(n).cloned().ok_or("no more pages scripted")
            })
        }
    }

    /// Every item, and the error the stream ended with, if any.
    async fn drain(mut pages: Pages<Page, TestError>) -> (Vec<u32>, Option<TestError>) {
        let mut items = Vec::new();
        while let Some(page) = pages.next().await {
            match page {
                Ok(p) => items.extend(p.items),
                Err(e) => {
                    assert!(pages.next().await.is_none(), "an error is the last item");
                    return (items, Some(e));
                }
            }
        }
        (items, None)
    }

    fn token(t: &str) -> Cursor {
        Cursor::Token(Some(t.to_owned()))
    }

    #[tokio::test]
    async fn a_token_listing_ends_on_an_absent_or_empty_token() {
        for last in [None, Some("")] {
            let (fake, pages) =
                Fake::script(vec![token_page(&[1, 2], Some("b")), token_page(&[3], last)]);
            assert_eq!(drain(pages).await, (vec![1, 2, 3], None));
            assert_eq!(fake.requests(), [Cursor::Token(None), token("b")]);
        }
    }

    #[test]
    fn the_request_id_kept_in_the_error_is_bounded() {
        let error = PaginationError::new(PaginationErrorKind::RepeatedToken, 2)
            .with_request_id("R".repeat(1 << 20));
        assert!(
            error.to_string().len() < 1024,
            "{} bytes",
            error.to_string().len()
        );
    }

    #[tokio::test]
    async fn a_listing_started_at_a_later_page_without_a_page_size_ends_at_an_empty_page() {
        // Page 3 of 25 items in pages of 10, the size reported nowhere: the 5 items seen are
        // not the position in the listing, and the empty page 4 is its end.
        let (fake, pages) = Fake::pages(Cursor::Page(3), inspect_number, |c, _| match c {
            Cursor::Page(3) => Ok(numbered(&[21, 22, 23, 24, 25], 3, None, Some(25))),
            Cursor::Page(_) => Ok(numbered(&[], 4, None, Some(25))),
            Cursor::Token(_) => Err("not a token listing"),
        });
        assert_eq!(drain(pages).await, (vec![21, 22, 23, 24, 25], None));
        assert_eq!(fake.requests(), [Cursor::Page(3), Cursor::Page(4)]);
        // From page 1 the same empty page inside the count is still a stall.
        let (_, pages) = Fake::pages(Cursor::Page(1), inspect_number, |c, _| match c {
            Cursor::Page(1) => Ok(numbered(&[1, 2], 1, None, Some(25))),
            Cursor::Page(_) => Ok(numbered(&[], 2, None, Some(25))),
            Cursor::Token(_) => Err("not a token listing"),
        });
        assert_eq!(
            drain(pages).await,
            (
                vec![1, 2],
                Some(TestError::Pagination(PaginationErrorKind::EmptyPages {
                    count: 1
                }))
            )
        );
    }

    #[tokio::test]
    async fn an_empty_page_with_a_token_is_not_the_end() {
        let (fake, pages) = Fake::script(vec![
            token_page(&[], Some("T1")),
            token_page(&[7], Some("")),
        ]);
        assert_eq!(drain(pages).await, (vec![7], None));
        assert_eq!(fake.requests().len(), 2);

        // Several in a row, within the limit.
        let (fake, pages) = Fake::script(vec![
            token_page(&[], Some("a")),
            token_page(&[], Some("b")),
            token_page(&[], Some("c")),
            token_page(&[1], None),
        ]);
        assert_eq!(drain(pages).await, (vec![1], None));
        assert_eq!(fake.requests().len(), 4);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_with_an_error_instead_of_refetching() {
        // A, A: the same token on every page.
        let (fake, pages) = Fake::pages(Cursor::Token(None), inspect_token, |_, _| {
            Ok(token_page(&[1], Some("A")))
        });
        let (items, error) = drain(pages).await;
        assert_eq!(items, [1, 1], "both pages are yielded before the error");
        assert_eq!(
            error,
            Some(TestError::Pagination(PaginationErrorKind::RepeatedToken))
        );
        assert_eq!(fake.requests(), [Cursor::Token(None), token("A")]);

        // A, B, A: a cycle.
        let (fake, pages) = Fake::pages(Cursor::Token(None), inspect_token, |c, _| {
            let next = match c {
                Cursor::Token(Some(t)) if t == "A" => "B",
                _ => "A",
            };
            Ok(token_page(&[1], Some(next)))
        });
        let (_, error) = drain(pages).await;
        assert_eq!(
            error,
            Some(TestError::Pagination(PaginationErrorKind::RepeatedToken))
        );
        assert_eq!(
            fake.requests(),
            [Cursor::Token(None), token("A"), token("B")]
        );

        // Back to the token the caller started from.
        let (fake, pages) = Fake::pages(token("S"), inspect_token, |_, _| {
            Ok(token_page(&[1], Some("S")))
        });
        let (_, error) = drain(pages).await;
        assert_eq!(
            error,
            Some(TestError::Pagination(PaginationErrorKind::RepeatedToken))
        );
        assert_eq!(fake.requests(), [token("S")]);
    }

    #[tokio::test]
    async fn no_token_is_requested_twice_even_in_cycles_longer_than_the_window() {
        // Tokens 0..=N then back to 0, with N beyond the exact window: caught by the cycle
        // check within about two turns, in bounded memory.
        let len = TOKEN_WINDOW + 100;
        let (fake, pages) = Fake::pages(Cursor::Token(None), inspect_token, move |c, _| {
            let next = match c {
                Cursor::Token(Some(t)) => (t.parse::<usize>().unwrap() + 1) % len,
                Cursor::Token(None) => 0,
                Cursor::Page(_) => unreachable!(),
            };
            Ok(token_page(&[1], Some(&next.to_string())))
        });
        let (_, error) = drain(pages).await;
        assert_eq!(
            error,
            Some(TestError::Pagination(PaginationErrorKind::RepeatedToken))
        );
        let requested = fake.requests().len();
        assert!(requested > len && requested <= 3 * len + 2, "{requested}");

        // A short cycle after a long run of fresh tokens is caught on its first repeat.
        let (fake, pages) = Fake::pages(Cursor::Token(None), inspect_token, |c, _| {
            let next = match c {
                Cursor::Token(None) => 0,
                Cursor::Token(Some(t)) => match t.parse::<usize>().unwrap() {
                    10_000 => 9_998,
                    n => n + 1,
                },
                Cursor::Page(_) => unreachable!(),
            };
            Ok(token_page(&[1], Some(&next.to_string())))
        });
        let (_, error) = drain(pages).await;
        assert!(error.is_some());
        let tokens = fake.requests();
        assert_eq!(tokens.len(), 10_002);
        let mut unique = tokens.clone();
        unique.sort_by_key(|c| format!("{c:?}"));
        unique.dedup();
        assert_eq!(unique.len(), tokens.len(), "no token requested twice");
    }

    #[tokio::test]
    async fn endless_empty_pages_with_fresh_tokens_end_with_an_error() {
        let (fake, pages) = Fake::pages(Cursor::Token(None), inspect_token, |_, n| {
            Ok(token_page(&[], Some(&format!("t{n}"))))
        });
        let (items, error) = drain(pages.with_max_empty_pages(5)).await;
        assert!(items.is_empty());
        assert_eq!(
            error,
            Some(TestError::Pagination(PaginationErrorKind::EmptyPages {
                count: 6
            }))
        );
        assert_eq!(fake.requests().len(), 6);

        // Items in between reset the count.
        let (fake, pages) = Fake::pages(Cursor::Token(None), inspect_token, |_, n| {
            let items: &[u32] = if n % 3 == 2 { &[1] } else { &[] };
            let next = (n < 30).then(|| format!("t{n}"));
            Ok(token_page(items, next.as_deref()))
        });
        let (items, error) = drain(pages.with_max_empty_pages(2)).await;
        assert_eq!((items.len(), error), (10, None));
        assert_eq!(fake.requests().len(), 31);
    }

    /// A `PageNumber` listing of `total` items in pages of `size`, reporting `size` and `total`.
    fn listing(total: i64, size: i64) -> (Fake, Pages<Page, TestError>) {
        Fake::pages(Cursor::Page(1), inspect_number, move |c, _| {
            let Cursor::Page(p) = c else {
                return Err("token");
            };
            let start = (p - 1) * size;
            let items: Vec<u32> = (start..(start + size).min(total))
                .map(|i| i as u32)
                .collect();
            Ok(numbered(&items, *p, Some(size), Some(total)))
        })
    }

    #[tokio::test]
    async fn a_page_number_listing_ends_when_page_times_size_reaches_the_total() {
        for (total, size, pages) in [(25, 10, 3), (20, 10, 2), (1, 10, 1), (0, 10, 1)] {
            let (fake, stream) = listing(total, size);
            let (items, error) = drain(stream).await;
            assert_eq!(items, (0..total as u32).collect::<Vec<_>>());
            assert_eq!(error, None);
            assert_eq!(fake.requests().len(), pages, "{total} in pages of {size}");
        }
    }

    #[tokio::test]
    async fn a_short_middle_page_does_not_end_a_page_number_listing() {
        // Page 2 holds fewer items than the page size (filtered on the service), page 3 more.
        let (fake, pages) = Fake::pages(Cursor::Page(1), inspect_number, |c, _| {
            let Cursor::Page(p) = c else {
                return Err("token");
            };
            Ok(match p {
                1 => numbered(&[1, 2], 1, Some(2), Some(5)),
                2 => numbered(&[3], 2, Some(2), Some(5)),
                _ => numbered(&[4], *p, Some(2), Some(5)),
            })
        });
        assert_eq!(drain(pages).await, (vec![1, 2, 3, 4], None));
        assert_eq!(
            fake.requests(),
            [Cursor::Page(1), Cursor::Page(2), Cursor::Page(3)]
        );
    }

    #[tokio::test]
    async fn the_requested_page_size_serves_when_the_response_omits_it() {
        let (fake, pages) = Fake::pages(Cursor::Page(1), inspect_number, |c, _| {
            let Cursor::Page(p) = c else {
                return Err("token");
            };
            Ok(numbered(&[*p as u32], *p, None, Some(3)))
        });
        // Size 1: three pages. Without any size, the items seen (one per page) reach the
        // total after three pages too.
        assert_eq!(drain(pages.with_page_size(Some(1))).await.0, [1, 2, 3]);
        assert_eq!(fake.requests().len(), 3);
        let (fake, pages) = Fake::pages(Cursor::Page(1), inspect_number, |c, _| {
            let Cursor::Page(p) = c else {
                return Err("token");
            };
            Ok(numbered(&[*p as u32], *p, Some(0), Some(3)))
        });
        assert_eq!(
            drain(pages).await.0,
            [1, 2, 3],
            "a reported size of 0 is ignored"
        );
        assert_eq!(fake.requests().len(), 3);
    }

    #[tokio::test]
    async fn without_a_total_a_short_page_ends_the_listing() {
        let (fake, pages) = Fake::pages(Cursor::Page(1), inspect_number, |c, _| {
            let Cursor::Page(p) = c else {
                return Err("token");
            };
            Ok(match p {
                1 | 2 => numbered(&[1, 2], *p, Some(2), None),
                _ => numbered(&[3], *p, Some(2), None),
            })
        });
        assert_eq!(drain(pages).await.0.len(), 5);
        assert_eq!(fake.requests().len(), 3);

        // Nor a size: the first empty page ends it.
        let (fake, pages) = Fake::pages(Cursor::Page(1), inspect_number, |c, _| {
            let Cursor::Page(p) = c else {
                return Err("token");
            };
            let items: &[u32] = if *p < 3 { &[1, 2] } else { &[] };
            Ok(numbered(items, *p, None, None))
        });
        assert_eq!(drain(pages).await, (vec![1, 2, 1, 2], None));
        assert_eq!(fake.requests().len(), 3);
    }

    #[tokio::test]
    async fn a_page_number_that_does_not_advance_ends_with_an_error() {
        // The service ignores PageNumber and answers page 1 each time.
        let (fake, pages) = Fake::pages(Cursor::Page(1), inspect_number, |_, _| {
            Ok(numbered(&[1, 2], 1, Some(2), Some(10)))
        });
        let (items, error) = drain(pages).await;
        assert_eq!(items, [1, 2, 1, 2]);
        assert_eq!(
            error,
            Some(TestError::Pagination(
                PaginationErrorKind::PageNumberMismatch {
                    requested: 2,
                    returned: 1
                }
            ))
        );
        assert_eq!(fake.requests(), [Cursor::Page(1), Cursor::Page(2)]);
    }

    #[tokio::test]
    async fn an_empty_page_inside_the_total_ends_with_an_error() {
        // TotalCount keeps announcing more than the service ever returns.
        let (fake, pages) = Fake::pages(Cursor::Page(1), inspect_number, |c, _| {
            let Cursor::Page(p) = c else {
                return Err("token");
            };
            let items: &[u32] = if *p == 1 { &[1, 2] } else { &[] };
            Ok(numbered(items, *p, Some(2), Some(i64::MAX)))
        });
        let (items, error) = drain(pages).await;
        assert_eq!(items, [1, 2]);
        assert_eq!(
            error,
            Some(TestError::Pagination(PaginationErrorKind::EmptyPages {
                count: 1
            }))
        );
        assert_eq!(fake.requests().len(), 2);

        // The same with a total but no size anywhere: the items seen never reach it.
        let (fake, pages) = Fake::pages(Cursor::Page(1), inspect_number, |c, _| {
            let Cursor::Page(p) = c else {
                return Err("token");
            };
            let items: &[u32] = if *p == 1 { &[1, 2] } else { &[] };
            Ok(numbered(items, *p, None, Some(100)))
        });
        let (_, error) = drain(pages).await;
        assert!(matches!(
            error,
            Some(TestError::Pagination(
                PaginationErrorKind::EmptyPages { .. }
            ))
        ));
        assert_eq!(fake.requests().len(), 2);
    }

    #[tokio::test]
    async fn page_numbers_stop_at_the_parameter_limit() {
        let (fake, pages) =
            Fake::pages(Cursor::Page(MAX_PAGE_NUMBER - 1), inspect_number, |c, _| {
                let Cursor::Page(p) = c else {
                    return Err("token");
                };
                Ok(numbered(&[1], *p, Some(1), Some(i64::MAX)))
            });
        let (_, error) = drain(pages).await;
        assert_eq!(
            error,
            Some(TestError::Pagination(
                PaginationErrorKind::PageNumberOverflow
            ))
        );
        assert_eq!(
            fake.requests(),
            [
                Cursor::Page(MAX_PAGE_NUMBER - 1),
                Cursor::Page(MAX_PAGE_NUMBER)
            ]
        );
    }

    #[tokio::test]
    async fn a_request_error_ends_the_stream() {
        let (fake, mut pages) = Fake::pages(Cursor::Page(1), inspect_number, |_, _| Err("boom"));
        assert_eq!(
            pages.next().await.map(|r| r.err()),
            Some(Some(TestError::Service("boom")))
        );
        assert!(pages.next().await.is_none());
        assert_eq!(fake.requests().len(), 1);
    }

    #[tokio::test]
    async fn the_error_is_an_sdk_error_naming_the_request_and_what_happened() {
        let mut pages = Pages::<Page, crate::error::SdkError<()>>::new(
            Cursor::Token(None),
            |_| async { Ok(token_page(&[1], Some("A"))) },
            inspect_token,
        );
        assert!(matches!(pages.next().await, Some(Ok(_))));
        assert!(matches!(pages.next().await, Some(Ok(_))));
        let err = match pages.next().await {
            Some(Err(crate::error::SdkError::Pagination(e))) => e,
            other => panic!("expected a pagination error, got {other:?}"),
        };
        assert!(pages.next().await.is_none());
        assert_eq!(err.kind(), PaginationErrorKind::RepeatedToken);
        assert_eq!(err.pages(), 2);
        assert_eq!(err.request_id(), Some("R"));
        assert_eq!(
            err.to_string(),
            "the service did not advance the listing after 2 page(s): it returned a NextToken \
             that was already requested (RequestId: R)"
        );
    }

    #[tokio::test]
    async fn items_follow_pages_and_end_with_the_same_error() {
        let (_, pages) = Fake::pages(Cursor::Token(None), inspect_token, |_, _| {
            Ok(token_page(&[1, 2], Some("A")))
        });
        let mut items = pages.items(|p| p.items);
        let mut got = Vec::new();
        let mut end = None;
        while let Some(item) = items.next().await {
            match item {
                Ok(i) => got.push(i),
                Err(e) => end = Some(e),
            }
        }
        assert_eq!(got, [1, 2, 1, 2]);
        assert_eq!(
            end,
            Some(TestError::Pagination(PaginationErrorKind::RepeatedToken))
        );
    }
}
