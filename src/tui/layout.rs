//! Screen geometry, shared by `update` (page size, scrolling) and `render` so both agree.

use ratatui::layout::Rect;

/// Below this width the details pane is dropped and the tree gets the whole screen.
pub const MIN_WIDTH_FOR_DETAILS: u16 = 60;
/// Lowest screens keep the tree: the header and the key hints need this many rows to show.
pub const MIN_HEIGHT_FOR_HEADER: u16 = 6;
pub const MIN_HEIGHT_FOR_HINTS: u16 = 12;

/// From this screen width the tree shows each account's email; from `WIDER_TREE` its tags.
pub const WIDE_TREE: u16 = 160;
pub const WIDER_TREE: u16 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    /// Tree or search results, borders included.
    pub list: Rect,
    pub details: Option<Rect>,
    /// Messages and errors, above the key hints.
    pub status: Option<Rect>,
    /// Organization, profile, region, cache age, DEMO/OFFLINE: the top line.
    pub header: Option<Rect>,
    /// The keys of the current mode: the bottom line.
    pub hints: Option<Rect>,
}

pub fn areas(width: u16, height: u16) -> Areas {
    let header = (height >= MIN_HEIGHT_FOR_HEADER).then(|| Rect::new(0, 0, width, 1));
    let hints = (height >= MIN_HEIGHT_FOR_HINTS).then(|| Rect::new(0, height - 1, width, 1));
    let bottom = u16::from(hints.is_some());
    let status = (height >= 3).then(|| Rect::new(0, height - 1 - bottom, width, 1));
    let top = u16::from(header.is_some());
    let body_h = height - top - bottom - u16::from(status.is_some());
    let (list, details) = if width >= MIN_WIDTH_FOR_DETAILS {
        let left = width * 11 / 20;
        (
            Rect::new(0, top, left, body_h),
            Some(Rect::new(left, top, width - left, body_h)),
        )
    } else {
        (Rect::new(0, top, width, body_h), None)
    };
    Areas {
        list,
        details,
        status,
        header,
        hints,
    }
}

/// Rows available for tree lines inside the list pane's border.
pub fn tree_rows(width: u16, height: u16) -> usize {
    usize::from(areas(width, height).list.height.saturating_sub(2))
}

/// Rows for search results: the pane minus its border and the query line.
pub fn search_rows(width: u16, height: u16) -> usize {
    tree_rows(width, height).saturating_sub(1)
}

/// The sweep view covers list and details; its pane holds a border, the progress line and a
/// column header above the rows.
pub fn sweep_area(width: u16, height: u16) -> Rect {
    let a = areas(width, height);
    a.details.map_or(a.list, |d| a.list.union(d))
}

pub fn sweep_rows(width: u16, height: u16) -> usize {
    usize::from(sweep_area(width, height).height.saturating_sub(4))
}

/// Lines of the help overlay's text that fit on a screen `height` rows high: the box takes
/// two border rows and a hint row.
pub fn help_rows(height: u16, lines: usize) -> usize {
    lines.min(usize::from(height).saturating_sub(3))
}

/// Adjusts a scroll offset so `selected` is inside a window of `rows` lines.
pub fn keep_visible(offset: usize, selected: usize, rows: usize) -> usize {
    let rows = rows.max(1);
    if selected < offset {
        selected
    } else if selected >= offset + rows {
        selected + 1 - rows
    } else {
        offset
    }
}

/// The scroll offset of a list of `total` lines shown `rows` at a time: the selection stays
/// inside the window and the window stays full (no blank rows below the last line while
/// lines are hidden above the first), whatever the offset was before a jump or a resize.
pub fn scroll_window(offset: usize, selected: usize, rows: usize, total: usize) -> usize {
    let last_start = total.saturating_sub(rows.max(1));
    keep_visible(offset.min(last_start), selected, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiny_terminals_do_not_underflow() {
        for (w, h) in [(0, 0), (1, 1), (30, 8), (59, 2), (200, 60)] {
            let a = areas(w, h);
            assert!(a.list.width <= w && a.list.height <= h);
            let _ = tree_rows(w, h) + search_rows(w, h) + sweep_rows(w, h);
        }
        assert!(areas(30, 8).details.is_none());
        assert!(areas(100, 30).details.is_some());
    }

    #[test]
    fn header_and_hints_frame_the_body() {
        let a = areas(80, 24);
        assert_eq!(a.header, Some(Rect::new(0, 0, 80, 1)));
        assert_eq!(a.hints, Some(Rect::new(0, 23, 80, 1)));
        assert_eq!(a.status, Some(Rect::new(0, 22, 80, 1)));
        assert_eq!((a.list.y, a.list.height), (1, 21));
        // Low screens give the rows back to the tree: hints first, then the header.
        let a = areas(30, 8);
        assert!(a.hints.is_none() && a.header.is_some());
        assert_eq!((a.list.y, a.list.height), (1, 6));
        let a = areas(30, 5);
        assert!(a.hints.is_none() && a.header.is_none());
        assert_eq!((a.list.y, a.list.height), (0, 4));
    }

    #[test]
    fn scrolling_follows_selection() {
        assert_eq!(keep_visible(0, 5, 10), 0);
        assert_eq!(keep_visible(0, 12, 10), 3);
        assert_eq!(keep_visible(8, 2, 10), 2);
        assert_eq!(keep_visible(0, 0, 0), 0);
    }

    #[test]
    fn the_window_stays_full() {
        // 21 lines, 15 shown: an offset of 7 would leave a blank row.
        assert_eq!(scroll_window(7, 20, 15, 21), 6);
        // A taller screen shows everything from the top.
        assert_eq!(scroll_window(12, 20, 67, 21), 0);
        assert_eq!(scroll_window(3, 5, 10, 30), 3);
        assert_eq!(scroll_window(0, 0, 0, 0), 0);
    }
}
