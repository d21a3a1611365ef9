//! Group commit: one writer task in front of the store. Senders hand it their messages and wait;
//! it takes everything waiting, appends it in one durable transaction, and answers each sender.
//! One fsync then acknowledges many messages, which a transaction per message cannot do.

use std::sync::Arc;

use joinery_domain::Submission;
use tokio::sync::{mpsc, oneshot};

use crate::{AppendOutcome, EventStore, StoreError};

/// The most messages folded into one transaction; a bound on latency and on memory.
const MAX_BATCH: usize = 2_000;


type Reply = oneshot::Sender<Result<Vec<AppendOutcome>, Arc<StoreError>>>;

/// A cloneable handle on the writer task.
#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<(Vec<Submission>, Reply)>,
}

impl GroupCommit {
    /// Starts the writer on a thread of its own, so that a busy server's request handling
    /// never delays a commit. It ends when every handle is dropped.
    pub fn start(store: Arc<dyn EventStore>) -> std::io::Result<Self> {
        let (queue, receiver) = mpsc::channel(4 * MAX_BATCH);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        std::thread::Builder::new()
            .name("joinery-writer".into())
            .spawn(move || runtime.block_on(write_loop(store, receiver)))?;
        Ok(Self { queue })
    }

    /// Appends `messages` (one sender's batch, kept together) and waits until they are durable.
    pub async fn append(
        &self,
        messages: Vec<Submission>,
    ) -> Result<Vec<AppendOutcome>, Arc<StoreError>> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send((messages, reply))
            .await
            .map_err(|_| Arc::new(StoreError::WriterStopped))?;
        answer
            .await
            .map_err(|_| Arc::new(StoreError::WriterStopped))?
    }
}

async fn write_loop(
    store: Arc<dyn EventStore>,
    mut receiver: mpsc::Receiver<(Vec<Submission>, Reply)>,
) {
    let mut waiting = Vec::new();
    while let Some(first) = receiver.recv().await {
        let mut size = first.0.len();
        waiting.push(first);
        while size < MAX_BATCH {
            match receiver.try_recv() {
                Ok(next) => {
                    size += next.0.len();
                    waiting.push(next);
                }
                Err(_) => break,
            }
        }
        let mut sizes = Vec::with_capacity(waiting.len());
        let mut replies = Vec::with_capacity(waiting.len());
        let mut batch = Vec::with_capacity(size);
        for (messages, reply) in waiting.drain(..) {
            sizes.push(messages.len());
            replies.push(reply);
            batch.extend(messages);
        }
        match store.append(batch).await {
            Ok(outcomes) => {
                let mut outcomes = outcomes.into_iter();
                for (reply, size) in replies.into_iter().zip(sizes) {
                    // A sender that stopped waiting has gone; its messages are stored regardless.
                    let _ = reply.send(Ok(outcomes.by_ref().take(size).collect()));
                }
            }
            Err(error) => {
                tracing::error!(%error, "append failed; the batch was rolled back");
                let error = Arc::new(error);
                for reply in replies {
                    let _ = reply.send(Err(Arc::clone(&error)));
                }
            }
        }
    }
}
