"""Laravel's paginator window (`meta.links`), which the Laravel providers' lists answer."""

from hypothesis import given, strategies as st

from simulator.providers.common import page_links


def test_few_pages_are_all_listed() -> None:
    assert page_links(1, 13) == list(range(1, 14))


def test_window_near_the_start_the_middle_and_the_end() -> None:
    assert page_links(1, 20) == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, None, 19, 20]
    assert page_links(10, 20) == [1, 2, None, 7, 8, 9, 10, 11, 12, 13, None, 19, 20]
    assert page_links(20, 20) == [1, 2, None, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_links_stay_few_ordered_and_hold_the_current_page(page: int, last: int) -> None:
    links = page_links(page, last)
    numbers = [n for n in links if n is not None]
    assert len(links) <= 15 and numbers == sorted(set(numbers))
    assert numbers[0] == 1 and numbers[-1] == last
    assert page > last or page in numbers
