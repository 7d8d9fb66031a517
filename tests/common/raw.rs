//! Raw HTTP/1.1 over TCP, for what a browser-like client cannot do: come from another loopback
//! address (127.0.0.2 stands for a family's phone), send half a request, or never read the
//! answer. Every wait is bounded.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// A connection from `from` (a loopback address) to the server at `base` (`http://127.0.0.1:P`),
/// with a small receive buffer when `small_window`, so an unread answer stays on the server.
pub fn connect(base: &str, from: IpAddr, small_window: bool) -> TcpStream {
    let server: SocketAddr = base
        .trim_start_matches("http://")
        .parse()
        .expect("a server address");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let stream = runtime.block_on(async {
        let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
        if small_window {
            socket.set_recv_buffer_size(4096).expect("a small window");
        }
        socket
            .bind(SocketAddr::new(from, 0))
            .expect("bind to the loopback address");
        let stream = socket.connect(server).await.expect("connected");
        stream.into_std().expect("a std stream")
    });
    stream.set_nonblocking(false).expect("blocking");
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("read timeout");
    stream
}

/// A GET request's bytes, with the cookies and headers given.
pub fn get(path: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut request = format!("GET {path} HTTP/1.1\r\nHost: cartable.test\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.into_bytes()
}

/// A status line and headers, read until the blank line (the body is left unread).
pub struct Head {
    pub status: u16,
    pub headers: Vec<(String, String)>,
}

impl Head {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Reads the answer's head; `None` if the connection closed first.
pub fn read_head(stream: &mut TcpStream) -> Option<Head> {
    let mut bytes = Vec::new();
    let mut byte = [0u8; 1];
    while !bytes.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => bytes.push(byte[0]),
            _ => return None,
        }
    }
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Some(Head { status, headers })
}

/// Sends `request` from `from` and reads the whole answer (`Connection: close` is added).
pub fn exchange(base: &str, from: IpAddr, request: &[u8]) -> (Head, Vec<u8>) {
    let mut stream = connect(base, from, false);
    let text = String::from_utf8_lossy(request);
    let request = text.replacen("\r\n", "\r\nConnection: close\r\n", 1);
    stream.write_all(request.as_bytes()).expect("request sent");
    let head = read_head(&mut stream).expect("an answer");
    let mut body = Vec::new();
    let _ = stream.read_to_end(&mut body);
    (head, body)
}

/// Whether the server closes `stream` within `limit` (reading and discarding what it sends).
pub fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    let mut buffer = [0u8; 65536];
    while Instant::now() < deadline {
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("read timeout");
        match stream.read(&mut buffer) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return true,
        }
    }
    false
}

/// Polls `check` every 20 ms until it holds or `limit` passes.
pub fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    check()
}

/// `127.0.0.N`: a family device other than the kiosk (which is 127.0.0.1).
pub fn phone(n: u8) -> IpAddr {
    IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 0, n))
}
