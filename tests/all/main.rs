//! The integration tests: one binary (linking twenty took most of a cold
//! `cargo test`), one module per area. Each runs the real `shop` or the library.
#![allow(dead_code)]

mod backtest;
mod channels;
mod cli;
mod cmd;
mod common;
mod compare_check;
mod damaged;
mod days;
mod engine;
mod erlang;
mod fit_days;
mod fit_roundtrip;
mod forecast;
mod gates;
mod golden;
mod html;
mod install;
mod intraday;
mod journey_validate;
mod logs;
mod menus;
mod misroutes;
mod properties;
mod replay;
mod schedule;
mod shards;
mod shifts;
mod staff;
mod theory;
mod through_the_day;
