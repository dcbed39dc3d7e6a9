//! Paginators: the pages of a listing as an async stream, and its items as another.
//!
//! The generated code supplies a `fetch` closure (send one page request) and an `advance`
//! function (where the next page starts, if anywhere); everything else lives here once.
//! Both types implement [`futures_core::Stream`] and also offer an inherent `next()`, so
//! callers need no stream utilities.

use futures_core::Stream;
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// `PageNumber` style, from 1.
    Page(i64),
    /// `NextToken` style; `None` for the first page.
    Token(Option<String>),
}

/// What the paginator has seen so far, for deciding whether another page exists.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Items returned by all pages so far, the current one included.
    pub items_seen: u64,
}

type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;
type Fetch<P, E> = Box<dyn FnMut(Cursor) -> BoxFuture<Result<P, E>> + Send>;
type Advance<P> = Box<dyn Fn(&P, &Cursor, &Progress) -> Option<Cursor> + Send>;

enum State<P, E> {
    Ready(Cursor),
    InFlight(Cursor, BoxFuture<Result<P, E>>),
    Done,
}

/// The pages of a listing, fetched one at a time as they are consumed.
pub struct Pages<P, E> {
    fetch: Fetch<P, E>,
    advance: Advance<P>,
    count_items: fn(&P) -> usize,
    state: State<P, E>,
    progress: Progress,
}

impl<P, E> fmt::Debug for Pages<P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Ready(c) => format!("ready at {c:?}"),
            State::InFlight(c, _) => format!("fetching {c:?}"),
            State::Done => "done".to_owned(),
        };
        f.debug_struct("Pages")
            .field("state", &state)
            .field("progress", &self.progress)
            .finish()
    }
}

impl<P: Send + 'static, E: Send + 'static> Pages<P, E> {
    /// A paginator starting at `start`.
    pub fn new<F, Fut>(
        start: Cursor,
        mut fetch: F,
        count_items: fn(&P) -> usize,
        advance: impl Fn(&P, &Cursor, &Progress) -> Option<Cursor> + Send + 'static,
    ) -> Self
    where
        F: FnMut(Cursor) -> Fut + Send + 'static,
        Fut: Future<Output = Result<P, E>> + Send + 'static,
    {
        Pages {
            fetch: Box::new(move |c| Box::pin(fetch(c))),
            advance: Box::new(advance),
            count_items,
            state: State::Ready(start),
            progress: Progress::default(),
        }
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

impl<P, E> Stream for Pages<P, E> {
    type Item = Result<P, E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            match std::mem::replace(&mut this.state, State::Done) {
                State::Done => return Poll::Ready(None),
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
                        let n = (this.count_items)(&page);
                        this.progress.items_seen += n as u64;
                        // An empty page ends any listing, whatever the counters claim.
                        if n > 0 {
                            if let Some(next) = (this.advance)(&page, &cursor, &this.progress) {
                                this.state = State::Ready(next);
                            }
                        }
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

impl<P: Send + 'static, I: Send + 'static, E: Send + 'static> Items<P, I, E> {
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

impl<P, I, E> Stream for Items<P, I, E> {
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

/// `advance` for `PageNumber` listings: the next page while fewer than `total` items were
/// seen (when the service reports a total), else stop.
pub fn next_page(total: Option<i64>, cursor: &Cursor, progress: &Progress) -> Option<Cursor> {
    let Cursor::Page(current) = cursor else {
        return None;
    };
    match total {
        Some(total) if (progress.items_seen as i64) < total => Some(Cursor::Page(current + 1)),
        Some(_) => None,
        // Without a total, keep going until a page comes back empty.
        None => Some(Cursor::Page(current + 1)),
    }
}

/// `advance` for `NextToken` listings: continue while the service returns a non-empty token.
pub fn next_token(token: Option<&str>) -> Option<Cursor> {
    token
        .filter(|t| !t.is_empty())
        .map(|t| Cursor::Token(Some(t.to_owned())))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fake listing of `total` items in pages of `size`.
    fn listing(total: i64, size: i64) -> Pages<(Vec<i64>, i64), String> {
        Pages::new(
            Cursor::Page(1),
            move |c| async move {
                let Cursor::Page(p) = c else {
                    return Err("token".to_owned());
                };
                let start = (p - 1) * size;
                Ok(((start..(start + size).min(total)).collect(), total))
            },
            |page: &(Vec<i64>, i64)| page.0.len(),
            |page, cursor, progress| next_page(Some(page.1), cursor, progress),
        )
    }

    #[tokio::test]
    async fn stops_after_the_last_page() {
        let pages = listing(25, 10).try_collect().await.unwrap();
        assert_eq!(pages.len(), 3);
        let items = listing(25, 10).items(|p| p.0).try_collect().await.unwrap();
        assert_eq!(items, (0..25).collect::<Vec<_>>());
        assert_eq!(listing(20, 10).try_collect().await.unwrap().len(), 2);
        assert_eq!(listing(0, 10).try_collect().await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn next_token_listings_end_on_an_empty_token() {
        let pages = Pages::new(
            Cursor::Token(None),
            |c| async move {
                Ok::<_, ()>(match c {
                    Cursor::Token(None) => (vec![1, 2], Some("b".to_owned())),
                    Cursor::Token(Some(t)) if t == "b" => (vec![3], Some(String::new())),
                    _ => (vec![], None),
                })
            },
            |p: &(Vec<i32>, Option<String>)| p.0.len(),
            |p, _, _| next_token(p.1.as_deref()),
        );
        assert_eq!(
            pages.items(|p| p.0).try_collect().await.unwrap(),
            vec![1, 2, 3]
        );
    }

    #[tokio::test]
    async fn an_error_ends_the_stream() {
        let mut pages = Pages::new(
            Cursor::Page(1),
            |_| async { Err::<(Vec<i32>,), _>("boom") },
            |p: &(Vec<i32>,)| p.0.len(),
            |_, c, _| Some(c.clone()),
        );
        assert_eq!(pages.next().await.map(|r| r.err()), Some(Some("boom")));
        assert!(pages.next().await.is_none());
    }
}
