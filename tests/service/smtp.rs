//! A small but real SMTP server for tests and the benchmark: it speaks the protocol over TCP
//! on a random port, keeps what it accepts, and can be scripted to fail (4xx, 5xx, or
//! dropping the connection in the middle of a message).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with the next message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(dead_code)]
pub enum Outcome {
    Accept,
    /// `451` after the message: try again later.
    Temporary,
    /// `550` to the recipient: never.
    Permanent,
    /// Close the connection halfway through the message.
    Drop,
}

/// A message the server accepted.
#[derive(Clone, Debug)]
#[allow(dead_code)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

#[derive(Default)]
struct Shared {
    script: VecDeque<Outcome>,
    received: Vec<Received>,
    /// Messages accepted, also counted when not kept.
    accepted: usize,
    keep: bool,
}

/// A running server; it stops with the test's runtime.
#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    shared: Arc<Mutex<Shared>>,
}

#[allow(dead_code)]
impl SmtpServer {
    /// Starts a server that keeps every message it accepts.
    pub async fn start() -> Self {
        Self::start_with(true).await
    }

    /// Starts a server; with `keep` false it only counts messages (for the benchmark).
    pub async fn start_with(keep: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind SMTP");
        let port = listener.local_addr().expect("address").port();
        let shared = Arc::new(Mutex::new(Shared {
            keep,
            ..Default::default()
        }));
        let for_task = shared.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, for_task.clone()));
            }
        });
        Self { port, shared }
    }

    /// `KITH_SMTP_URL` for this server.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Queues outcomes for the next messages (then it accepts again).
    pub fn script(&self, outcomes: &[Outcome]) {
        self.lock().script.extend(outcomes.iter().copied());
    }

    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    pub fn accepted(&self) -> usize {
        self.lock().accepted
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|p| p.into_inner())
    }
}

async fn session(stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    // Replies are small and awaited one by one: without this, Nagle's algorithm and delayed
    // ACKs add ~40 ms to every command, as a real server's tuned stack would not.
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let lock = || shared.lock().unwrap_or_else(|p| p.into_inner());
    if write.write_all(b"220 test.kith ESMTP\r\n").await.is_err() {
        return;
    }
    let (mut from, mut to, mut outcome) = (String::new(), Vec::new(), Outcome::Accept);
    let mut line = String::new();
    loop {
        line.clear();
        match lines.read_line(&mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = line.trim_end().to_string();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") {
            b"250-test.kith\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            b"250 OK\r\n"
        } else if upper.starts_with("RSET") {
            (from, to) = (String::new(), Vec::new());
            b"250 OK\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command);
            to.clear();
            outcome = lock().script.pop_front().unwrap_or(Outcome::Accept);
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            if outcome == Outcome::Permanent {
                b"550 5.1.1 No such mailbox here\r\n"
            } else {
                to.push(address(&command));
                b"250 OK\r\n"
            }
        } else if upper == "DATA" {
            if write.write_all(b"354 Go ahead\r\n").await.is_err() {
                return;
            }
            let mut data = String::new();
            let mut lines_read = 0;
            loop {
                line.clear();
                match lines.read_line(&mut line).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                lines_read += 1;
                if outcome == Outcome::Drop && lines_read == 5 {
                    // Hang up mid-message, as a crashing or overloaded server would.
                    return;
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            match outcome {
                Outcome::Temporary => b"451 4.3.0 Please try again later\r\n",
                _ => {
                    let mut s = lock();
                    s.accepted += 1;
                    if s.keep {
                        s.received.push(Received {
                            from: from.clone(),
                            to: to.clone(),
                            data,
                        });
                    }
                    b"250 2.0.0 Queued\r\n"
                }
            }
        } else if upper.starts_with("QUIT") {
            let _ = write.write_all(b"221 Bye\r\n").await;
            return;
        } else {
            b"502 Command not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

fn address(command: &str) -> String {
    let start = command.find('<').map(|i| i + 1).unwrap_or(0);
    let end = command.rfind('>').unwrap_or(command.len());
    command.get(start..end).unwrap_or_default().to_string()
}
