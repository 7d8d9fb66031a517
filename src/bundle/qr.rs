//! QR codes: the modules of a code, which the web layer draws as inline SVG (the kiosk's "join
//! the Wi-Fi" and "open the site" codes) and `pack::front` as squares on a printed pack's cover.

use qrcode::{Color, EcLevel, QrCode};

/// A QR code's modules, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrModules {
    /// Modules on a side (the quiet zone around them is not included).
    pub width: usize,
    /// `width * width` modules, dark or not.
    pub dark: Vec<bool>,
}

impl QrModules {
    /// The code of `text` at medium error correction (a screen is clean, but a phone's camera
    /// may see it at an angle); `None` when the text is too long for a QR code.
    pub fn of(text: &str) -> Option<QrModules> {
        let code = QrCode::with_error_correction_level(text, EcLevel::M).ok()?;
        Some(QrModules {
            width: code.width(),
            dark: code
                .to_colors()
                .into_iter()
                .map(|c| c == Color::Dark)
                .collect(),
        })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        x < self.width && self.dark.get(y * self.width + x).copied().unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_becomes_a_square_code_with_its_finder_patterns() {
        let code = QrModules::of("WIFI:S:Lycee;T:WPA;P:secret;;").unwrap();
        assert_eq!(code.dark.len(), code.width * code.width);
        assert!(code.width >= 21);
        // The three finder patterns' corners are dark, the module beside a pattern is not.
        assert!(code.is_dark(0, 0));
        assert!(code.is_dark(code.width - 1, 0));
        assert!(code.is_dark(0, code.width - 1));
        assert!(!code.is_dark(7, 0));
        assert!(QrModules::of(&"x".repeat(5000)).is_none());
    }
}
