"""Tiny RoBERTa sentiment models that the tests build and save themselves: the transformers
loading code is tested on them, never on a download."""

from __future__ import annotations

import os

os.environ["HF_HUB_OFFLINE"] = "1"  # nothing built here may reach the hub

from collections.abc import Sequence
from pathlib import Path

import torch
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast, RobertaConfig, RobertaForSequenceClassification

MAX_TOKENS = 64
# Training sentences with their class on a negative(0) / neutral(1) / positive(2) scale.
TRAINING = [
    ("Snelle levering en goede kwaliteit, echt een aanrader!", 2),
    ("Prima product, heel blij mee en netjes verpakt.", 2),
    ("Fantastische service, vriendelijk geholpen door de klantenservice.", 2),
    ("Mooi boek, ik heb genoten van elke bladzijde.", 2),
    ("Het pakket kwam kapot aan, heel slecht verpakt.", 0),
    ("De klantenservice reageert niet en ik wacht nog steeds op mijn geld.", 0),
    ("Slechte kwaliteit, na een week al stuk. Nooit meer.", 0),
    ("Te laat geleverd en de verkeerde kleur, zeer teleurgesteld.", 0),
    ("Het pakket is dinsdag bezorgd.", 1),
    ("Ik heb de bestelling gisteren geplaatst.", 1),
    ("Kunt u zeggen wanneer de levering komt?", 1),
    ("De doos bevat een handleiding en twee kabels.", 1),
]


def build_model(
    directory: Path,
    *,
    id2label: dict[int, str],
    targets: Sequence[int] | None = None,
    steps: int = 30,
    seed: int = 0,
) -> Path:
    """Save a tiny tokenizer and RobertaForSequenceClassification in ``directory``; with
    ``targets`` (a class per training sentence) train it for ``steps``: 30 gives the training
    sentences their class with probabilities of about 0.55-0.95, not saturated."""
    sentences = [text for text, _ in TRAINING]
    tokenizer = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    special = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]
    tokenizer.train_from_iterator(sentences, trainers.WordLevelTrainer(special_tokens=special))
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", special_tokens=[("<s>", 0), ("</s>", 2)]
    )
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<s>",
        eos_token="</s>",
        cls_token="<s>",
        sep_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
        mask_token="<mask>",
        model_max_length=MAX_TOKENS,
    )
    torch.manual_seed(seed)
    config = RobertaConfig(
        vocab_size=tokenizer.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=MAX_TOKENS + 2,
        pad_token_id=fast.pad_token_id,
        num_labels=len(id2label),
        id2label=id2label,
        label2id={name: index for index, name in id2label.items()},
    )
    model = RobertaForSequenceClassification(config)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # training a tiny model on two threads of a busy machine crawls
    if targets is not None:
        batch = fast(sentences, padding=True, return_tensors="pt")
        optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
        model.train()
        for _ in range(steps):
            loss = model(**batch, labels=torch.tensor(targets)).loss
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
    torch.set_num_threads(threads)
    model.save_pretrained(directory)
    fast.save_pretrained(directory)
    return directory


def build_polar_model(directory: Path) -> Path:
    """A negative/neutral/positive model trained on TRAINING."""
    return build_model(
        directory,
        id2label={0: "negative", 1: "neutral", 2: "positive"},
        targets=[target for _, target in TRAINING],
    )
