package db

// ReadAll calls list with the offset of each next page until it has read
// every row: list returns one page and the total count, as the stores'
// List methods do.
func ReadAll[T any](list func(offset int) ([]T, int, error)) ([]T, error) {
	var out []T
	for {
		page, total, err := list(len(out))
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}
